import { useEffect, useState, type FormEvent } from 'react';
import { useMutation, useQuery } from 'urql';
import { graphql } from '../../gql';
import { Button, ErrorNotice, Field, Loading, formatDateTime, useToast } from '../../ui';
import { parseRecipients, recipientProblem } from './recipients';

const AdminNotificationSettings = graphql(`
  query AdminNotificationSettings {
    notificationSettings {
      emails
      phones
      updatedAt
    }
  }
`);

const AdminSetNotificationSettings = graphql(`
  mutation AdminSetNotificationSettings($input: NotificationSettingsInput!) {
    setNotificationSettings(input: $input) {
      emails
      phones
      updatedAt
    }
  }
`);

/** Who hears about display alerts (a display offline, a stuck or blank screen): emails and SMS numbers. */
export function NotificationsPage() {
  const [res, reexecute] = useQuery({ query: AdminNotificationSettings, requestPolicy: 'cache-and-network' });
  const [saving, save] = useMutation(AdminSetNotificationSettings);
  const toast = useToast();
  const [emails, setEmails] = useState<string | null>(null);
  const [phones, setPhones] = useState<string | null>(null);
  const [touched, setTouched] = useState(false);
  const settings = res.data?.notificationSettings;

  // The form starts from the saved settings, and follows them until the admin types.
  useEffect(() => {
    if (!settings) return;
    setEmails((e) => e ?? settings.emails.join('\n'));
    setPhones((p) => p ?? settings.phones.join('\n'));
  }, [settings]);

  if (res.error && !settings) {
    return <ErrorNotice error={res.error} onRetry={() => reexecute({ requestPolicy: 'network-only' })} />;
  }
  if (!settings || emails === null || phones === null) return <Loading label="Loading the alert notifications…" />;

  const emailList = parseRecipients(emails);
  const phoneList = parseRecipients(phones);
  const problems = {
    emails: recipientProblem('email', emailList),
    phones: recipientProblem('phone', phoneList),
    count: emailList.length + phoneList.length > 50 ? 'At most 50 recipients in all.' : null,
  };
  const serverField = saving.error?.graphQLErrors.find((e) => typeof e.extensions?.field === 'string');
  const fieldError = (field: 'emails' | 'phones') =>
    (touched ? problems[field] : null) ??
    (serverField?.extensions?.field === field ? serverField.message.replace(/^\w+: /, '') : null);
  const dirty =
    emailList.join('\n') !== settings.emails.join('\n') || phoneList.join('\n') !== settings.phones.join('\n');

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setTouched(true);
    if (problems.emails || problems.phones || problems.count) {
      toast.error('The alert recipients are not saved', 'Please correct the highlighted fields.', {
        topic: 'notification-settings',
      });
      return;
    }
    const r = await save({ input: { emails: emailList, phones: phoneList } });
    if (r.error || !r.data) {
      toast.error('The alert recipients are not saved', r.error, { topic: 'notification-settings' });
      return;
    }
    const saved = r.data.setNotificationSettings;
    setEmails(saved.emails.join('\n'));
    setPhones(saved.phones.join('\n'));
    setTouched(false);
    const n = saved.emails.length + saved.phones.length;
    toast.success(n ? `Alerts now go to ${n} recipient${n === 1 ? '' : 's'}.` : 'Nobody is told about alerts now.', {
      topic: 'notification-settings',
    });
  };

  const never = new Date(settings.updatedAt).getTime() === 0;
  return (
    <form className="admin-notifications" onSubmit={submit} aria-label="Alert notifications" noValidate>
      <p className="muted">
        When a display goes offline or its screen looks stuck or blank, the platform raises an alert in the fleet and
        tells these people by email and SMS.{' '}
        {never ? 'Nobody has been set yet.' : `Last changed ${formatDateTime(settings.updatedAt)}.`}
      </p>
      <div className="admin-notification-fields">
        <Field label="Email addresses" hint="One per line." error={fieldError('emails')}>
          <textarea
            name="emails"
            rows={5}
            value={emails}
            autoComplete="off"
            spellCheck={false}
            onChange={(e) => setEmails(e.target.value)}
          />
        </Field>
        <Field
          label="Phone numbers for SMS"
          hint="One per line, international format, e.g. +447700900123."
          error={fieldError('phones')}
        >
          <textarea
            name="phones"
            rows={5}
            value={phones}
            autoComplete="off"
            spellCheck={false}
            onChange={(e) => setPhones(e.target.value)}
          />
        </Field>
      </div>
      {touched && problems.count ? (
        <p className="field-error" role="alert">
          {problems.count}
        </p>
      ) : null}
      <div className="row">
        <Button type="submit" variant="primary" busy={saving.fetching} disabled={!dirty && !saving.error}>
          Save recipients
        </Button>
        <Button
          disabled={!dirty}
          onClick={() => {
            setEmails(settings.emails.join('\n'));
            setPhones(settings.phones.join('\n'));
            setTouched(false);
          }}
        >
          Undo changes
        </Button>
      </div>
    </form>
  );
}
