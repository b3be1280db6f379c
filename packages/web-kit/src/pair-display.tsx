import { useState, type FormEvent } from 'react';
import { useMutation } from 'urql';
import { Button } from './button';
import { ErrorNotice, Notice } from './feedback';
import { Field } from './field';
import { graphql } from './gql';

const ClaimPairingCode = graphql(`
  mutation KitClaimPairingCode($code: String!, $displayId: ID!, $kind: PairingKind!) {
    claimPairingCode(code: $code, displayId: $displayId, kind: $kind) {
      code
      status
      displayId
      kind
      claimedAt
    }
  }
`);

/** What players show: letters and digits, possibly typed with spaces or a dash and in lower case. */
export function normalisePairingCode(input: string): string {
  return input.replace(/[\s-]+/g, '').toUpperCase();
}

const PAIR_MESSAGES = {
  NOT_FOUND: {
    title: 'No player shows this code',
    hint: 'Check the code on the screen; codes expire after a few minutes, the player then shows a new one.',
  },
  CONFLICT: { title: 'This code was used already', hint: 'The player shows a new code: type that one.' },
  FORBIDDEN: { title: 'Not allowed', hint: 'You may pair displays of your own stores only.' },
};

/** What the paired screen becomes: a display player (role DEVICE) or a visitors' kiosk tablet (role KIOSK). */
export type PairingKindChoice = 'DISPLAY' | 'KIOSK';

export interface PairDisplayFormProps {
  /** The displays the player may become (e.g. a store's displays) */
  displays: readonly { id: string; name: string; storeName?: string }[];
  /** Preselected display */
  displayId?: string;
  onPaired?: (displayId: string) => void;
  /** Offer pairing a kiosk tablet too (the store app); without it every pairing is a display player's */
  allowKiosk?: boolean;
}

/**
 * Pairs a display player: the player shows a code, a person types it and picks the display; the player then
 * receives its device credential on its next poll (auth's claimPairingCode).
 */
export function PairDisplayForm({ displays, displayId: initial, onPaired, allowKiosk = false }: PairDisplayFormProps) {
  const [code, setCode] = useState('');
  const [kind, setKind] = useState<PairingKindChoice>('DISPLAY');
  const [displayId, setDisplayId] = useState(initial ?? displays[0]?.id ?? '');
  const [paired, setPaired] = useState<{ name: string; kiosk: boolean } | null>(null);
  const [state, claim] = useMutation(ClaimPairingCode);
  const normalised = normalisePairingCode(code);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setPaired(null);
    const result = await claim({ code: normalised, displayId, kind: allowKiosk ? kind : 'DISPLAY' });
    if (result.data?.claimPairingCode) {
      const name = displays.find((d) => d.id === displayId)?.name ?? 'the display';
      setPaired({ name, kiosk: result.data.claimPairingCode.kind === 'KIOSK' });
      setCode('');
      onPaired?.(displayId);
    }
  };

  return (
    <form className="pair-form" onSubmit={(e) => void submit(e)} noValidate>
      {allowKiosk ? (
        <fieldset className="field pair-kind">
          <legend className="fieldset-legend">This screen is</legend>
          <label className="choice">
            <input
              type="radio"
              name="pairing-kind"
              value="DISPLAY"
              checked={kind === 'DISPLAY'}
              onChange={() => setKind('DISPLAY')}
            />
            A player (plays campaigns)
          </label>
          <label className="choice">
            <input
              type="radio"
              name="pairing-kind"
              value="KIOSK"
              checked={kind === 'KIOSK'}
              onChange={() => setKind('KIOSK')}
            />
            A kiosk tablet (visitors take tickets and check in; opened at /retail/kiosk)
          </label>
        </fieldset>
      ) : null}
      <Field label="Code shown on the player" hint="Letters and digits, as on the screen" required>
        <input
          name="pairing-code"
          value={code}
          onChange={(e) => setCode(e.target.value)}
          autoComplete="off"
          autoCapitalize="characters"
          spellCheck={false}
          inputMode="text"
          className="pair-code-input"
          required
        />
      </Field>
      <Field label="Display" required>
        <select name="display" value={displayId} onChange={(e) => setDisplayId(e.target.value)} required>
          {displays.map((d) => (
            <option key={d.id} value={d.id}>
              {d.storeName ? `${d.storeName} — ${d.name}` : d.name}
            </option>
          ))}
        </select>
      </Field>
      <ErrorNotice error={state.error} messages={PAIR_MESSAGES} />
      {paired ? (
        <Notice kind="success">
          <span role="status">
            Paired with {paired.name}
            {paired.kiosk ? ' as a kiosk' : ''}.{' '}
            {paired.kiosk
              ? 'The tablet opens its start screen within a few seconds.'
              : 'The player starts playing it within a few seconds.'}
          </span>
        </Notice>
      ) : null}
      <Button type="submit" variant="primary" busy={state.fetching} disabled={normalised.length < 4 || !displayId}>
        {kind === 'KIOSK' && allowKiosk ? 'Pair kiosk' : 'Pair display'}
      </Button>
    </form>
  );
}
