import { useRef, useState } from 'react';
import { useMutation, useQuery, type CombinedError } from 'urql';
import { graphql } from '../../gql';
import { Button, Dialog, Empty, ErrorNotice, Field, Loading, formatDuration, useToast } from '../../ui';
import { kindOf, mediaSize, mimeOf, uploadWithProgress, videoDurationMs, type UploadError } from './upload';

const VariantsQuery = graphql(`
  query CreativeVariants($id: ID!) {
    creative(id: $id) {
      id
      name
      kind
      variants {
        locale
        orientation
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
  mutation CompleteCreativeVariant($creativeId: ID!, $locale: String, $orientation: CreativeOrientation) {
    completeCreativeVariant(creativeId: $creativeId, locale: $locale, orientation: $orientation) {
      id
      orientations
      variants {
        locale
        orientation
        url
        mimeType
        durationMs
      }
    }
  }
`);
const RemoveVariant = graphql(`
  mutation RemoveCreativeVariant($creativeId: ID!, $locale: String, $orientation: CreativeOrientation) {
    removeCreativeVariant(creativeId: $creativeId, locale: $locale, orientation: $orientation) {
      id
      orientations
      variants {
        locale
        orientation
      }
    }
  }
`);

/** BCP 47 as the platform takes it: a language, then optional subtags (fr, fr-CA, zh-Hant-TW). */
export const LOCALE = /^[a-zA-Z]{2,3}(-[a-zA-Z0-9]{2,8})*$/;

type Screens = 'LANDSCAPE' | 'PORTRAIT';
/** A version's label: its locale, or the screens it is for. */
const versionLabel = (v: { locale?: string | null; orientation?: string | null }) =>
  v.locale ?? `${(v.orientation ?? '').toLowerCase()} screens`;

/**
 * A creative's language versions, and its versions for portrait or landscape screens: a display whose locale
 * matches plays its language version, else a display of that orientation its orientation version, else the
 * original (the campaign engine picks it). Same kind as the creative; uploaded like it, to a presigned URL.
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
  const [screens, setScreens] = useState<'' | Screens>('');
  const [progress, setProgress] = useState<number | null>(null);
  const [hint, setHint] = useState<string | null>(null);
  const [error, setError] = useState<CombinedError | Error | null>(null);
  const creative = result.data?.creative;

  const upload = async () => {
    setError(null);
    setHint(null);
    const chosen = file.current?.files?.[0];
    const tag = locale.trim();
    if (!screens && !LOCALE.test(tag)) return setHint('Enter a language tag such as fr, fr-CA or de-DE.');
    if (!chosen || !creative) return setHint('Choose the file of this version.');
    const key = screens ? { orientation: screens } : { locale: tag };
    const mimeType = mimeOf(chosen);
    if (kindOf(mimeType, chosen.name) !== creative.kind) {
      return setHint(`A ${creative.kind.toLowerCase()} creative needs a ${creative.kind.toLowerCase()} file.`);
    }
    setProgress(0);
    try {
      const durationMs = creative.kind === 'VIDEO' ? await videoDurationMs(chosen) : undefined;
      const size = await mediaSize(chosen, creative.kind as 'IMAGE' | 'VIDEO' | 'HTML');
      const started = await add({
        input: { creativeId, ...key, mimeType, sizeBytes: chosen.size, durationMs, ...size },
      });
      if (started.error || !started.data) throw started.error ?? new Error('No upload URL');
      const target = started.data.addCreativeVariant;
      await uploadWithProgress({
        url: target.uploadUrl,
        method: target.uploadMethod,
        headers: target.uploadHeaders,
        body: chosen,
        onProgress: setProgress,
      });
      const done = await complete({ creativeId, ...key });
      if (done.error) throw done.error;
      toast.success(`Added the ${versionLabel(key)} version of “${creative.name}”.`);
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
      description="A display whose locale matches plays its language version; else a display of that orientation plays its screen version; else the original."
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
            <li key={versionLabel(v)} className="row" data-locale={v.locale ?? undefined}>
              <span>
                <strong>{versionLabel(v)}</strong>{' '}
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
                  const res = await remove(
                    v.locale ? { creativeId, locale: v.locale } : { creativeId, orientation: v.orientation },
                  );
                  if (res.error) setError(res.error);
                }}
              >
                Remove {versionLabel(v)}
              </Button>
            </li>
          ))}
        </ul>
      )}
      {creative ? (
        <div className="stack">
          <div className="cols-2">
            <Field label="For">
              <select value={screens} onChange={(e) => setScreens(e.target.value as '' | Screens)}>
                <option value="">A language</option>
                <option value="PORTRAIT">Portrait screens</option>
                <option value="LANDSCAPE">Landscape screens</option>
              </select>
            </Field>
            {!screens ? (
              <Field label="Language" hint="e.g. fr, fr-CA" error={hint}>
                <input value={locale} onChange={(e) => setLocale(e.target.value)} autoComplete="off" />
              </Field>
            ) : null}
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
          {screens && hint ? <p className="field-error">{hint}</p> : null}
          <ErrorNotice error={error} />
        </div>
      ) : null}
    </Dialog>
  );
}
