import { useState, type FormEvent } from 'react';
import { useMutation } from 'urql';
import { Button } from './button';
import { ErrorNotice, Notice } from './feedback';
import { Field } from './field';
import { graphql } from './gql';

const ClaimPairingCode = graphql(`
  mutation KitClaimPairingCode($code: String!, $displayId: ID!) {
    claimPairingCode(code: $code, displayId: $displayId) {
      code
      status
      displayId
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

export interface PairDisplayFormProps {
  /** The displays the player may become (e.g. a store's displays) */
  displays: readonly { id: string; name: string; storeName?: string }[];
  /** Preselected display */
  displayId?: string;
  onPaired?: (displayId: string) => void;
}

/**
 * Pairs a display player: the player shows a code, a person types it and picks the display; the player then
 * receives its device credential on its next poll (auth's claimPairingCode).
 */
export function PairDisplayForm({ displays, displayId: initial, onPaired }: PairDisplayFormProps) {
  const [code, setCode] = useState('');
  const [displayId, setDisplayId] = useState(initial ?? displays[0]?.id ?? '');
  const [paired, setPaired] = useState<string | null>(null);
  const [state, claim] = useMutation(ClaimPairingCode);
  const normalised = normalisePairingCode(code);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setPaired(null);
    const result = await claim({ code: normalised, displayId });
    if (result.data?.claimPairingCode) {
      const name = displays.find((d) => d.id === displayId)?.name ?? 'the display';
      setPaired(name);
      setCode('');
      onPaired?.(displayId);
    }
  };

  return (
    <form className="pair-form" onSubmit={(e) => void submit(e)} noValidate>
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
          <span role="status">Paired with {paired}. The player starts playing it within a few seconds.</span>
        </Notice>
      ) : null}
      <Button type="submit" variant="primary" busy={state.fetching} disabled={normalised.length < 4 || !displayId}>
        Pair display
      </Button>
    </form>
  );
}
