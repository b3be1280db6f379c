import { useRef, useState } from 'react';
import { useMutation, useQuery, type CombinedError } from 'urql';
import { graphql } from '../../gql';
import { Button, Dialog, Empty, ErrorNotice, Field, Loading, formatDuration, useToast } from '../../ui';
import { kindOf, mimeOf, uploadWithProgress, videoDurationMs, type UploadError } from './upload';

const VariantsQuery = graphql(`
  query CreativeVariants($id: ID!) {
    creative(id: $id) {
      id
      name
      kind
      variants {
        locale
        url
        mimeType
        durationMs
      }
    }
  }
`);
const AddVariant = graphql(`
  mutation AddCreativeVariant($input: AddCreativeVariantInput!) {
    addCreativeVariant(input: $input) {
      uploadUrl
      uploadMethod
      uploadHeaders {
        name
        value
      }
    }
  }
`);
const CompleteVariant = graphql(`
  mutation CompleteCreativeVariant($creativeId: ID!, $locale: String!) {
    completeCreativeVariant(creativeId: $creativeId, locale: $locale) {
      id
      variants {
        locale
        url
        mimeType
        durationMs
      }
    }
  }
`);
const RemoveVariant = graphql(`
  mutation RemoveCreativeVariant($creativeId: ID!, $locale: String!) {
    removeCreativeVariant(creativeId: $creativeId, locale: $locale) {
      id
      variants {
        locale
      }
    }
  }
`);

/** BCP 47 as the platform takes it: a language, then optional subtags (fr, fr-CA, zh-Hant-TW). */
export const LOCALE = /^[a-zA-Z]{2,3}(-[a-zA-Z0-9]{2,8})*$/;

/**
 * A creative's language versions: displays whose locale matches play the variant instead of the original
 * (the campaign engine picks it). Same kind as the creative; uploaded like it, to a presigned URL.
 */
export function CreativeVariantsButton({ creativeId, name }: { creativeId: string; name: string }) {
  const [open, setOpen] = useState(false);
  return (
    <>
      <Button className="button--small" onClick={() => setOpen(true)} aria-label={`Languages of ${name}`}>
        Languages
      </Button>
      {open ? <VariantsDialog creativeId={creativeId} onClose={() => setOpen(false)} /> : null}
    </>
  );
}

function VariantsDialog({ creativeId, onClose }: { creativeId: string; onClose: () => void }) {
  const toast = useToast();
  const file = useRef<HTMLInputElement>(null);
  const [result] = useQuery({ query: VariantsQuery, variables: { id: creativeId } });
  const [, add] = useMutation(AddVariant);
  const [, complete] = useMutation(CompleteVariant);
  const [removing, remove] = useMutation(RemoveVariant);
  const [locale, setLocale] = useState('');
  const [progress, setProgress] = useState<number | null>(null);
  const [hint, setHint] = useState<string | null>(null);
  const [error, setError] = useState<CombinedError | Error | null>(null);
  const creative = result.data?.creative;

  const upload = async () => {
    setError(null);
    setHint(null);
    const chosen = file.current?.files?.[0];
    const tag = locale.trim();
    if (!LOCALE.test(tag)) return setHint('Enter a language tag such as fr, fr-CA or de-DE.');
    if (!chosen || !creative) return setHint('Choose the file of this language version.');
    const mimeType = mimeOf(chosen);
    if (kindOf(mimeType, chosen.name) !== creative.kind) {
      return setHint(`A ${creative.kind.toLowerCase()} creative needs a ${creative.kind.toLowerCase()} file.`);
    }
    setProgress(0);
    try {
      const durationMs = creative.kind === 'VIDEO' ? await videoDurationMs(chosen) : undefined;
      const started = await add({ input: { creativeId, locale: tag, mimeType, sizeBytes: chosen.size, durationMs } });
      if (started.error || !started.data) throw started.error ?? new Error('No upload URL');
      const target = started.data.addCreativeVariant;
      await uploadWithProgress({
        url: target.uploadUrl,
        method: target.uploadMethod,
        headers: target.uploadHeaders,
        body: chosen,
        onProgress: setProgress,
      });
      const done = await complete({ creativeId, locale: tag });
      if (done.error) throw done.error;
      toast.success(`Added the ${tag} version of “${creative.name}”.`);
      setLocale('');
      if (file.current) file.current.value = '';
    } catch (err) {
      setError(err as CombinedError | UploadError);
    } finally {
      setProgress(null);
    }
  };

  return (
    <Dialog
      open
      title={creative ? `Language versions of ${creative.name}` : 'Language versions'}
      description="A display whose locale matches plays its language version instead of the original."
      onClose={onClose}
    >
      <ErrorNotice error={result.error} />
      {!creative ? (
        result.fetching ? (
          <Loading />
        ) : null
      ) : creative.variants.length === 0 ? (
        <Empty title="No language versions yet" />
      ) : (
        <ul className="plain-list" aria-label="Language versions">
          {creative.variants.map((v) => (
            <li key={v.locale} className="row" data-locale={v.locale}>
              <span>
                <strong>{v.locale}</strong>{' '}
                <a href={v.url} target="_blank" rel="noreferrer">
                  {v.mimeType}
                </a>{' '}
                <span className="muted">· {formatDuration(v.durationMs)}</span>
              </span>
              <Button
                className="button--small"
                busy={removing.fetching}
                onClick={async () => {
                  setError(null);
                  const res = await remove({ creativeId, locale: v.locale });
                  if (res.error) setError(res.error);
                }}
              >
                Remove {v.locale}
              </Button>
            </li>
          ))}
        </ul>
      )}
      {creative ? (
        <div className="stack">
          <div className="cols-2">
            <Field label="Language" hint="e.g. fr, fr-CA" error={hint}>
              <input value={locale} onChange={(e) => setLocale(e.target.value)} autoComplete="off" />
            </Field>
            <Field label="File of this version">
              <input ref={file} type="file" accept="image/*,video/*,text/html,.html,.htm,.zip" />
            </Field>
          </div>
          {progress !== null ? (
            <label>
              Uploading: {Math.round(progress * 100)}% <progress max={1} value={progress} />
            </label>
          ) : null}
          <div className="row">
            <Button variant="primary" busy={progress !== null} onClick={() => void upload()}>
              Add language version
            </Button>
          </div>
          <ErrorNotice error={error} />
        </div>
      ) : null}
    </Dialog>
  );
}
