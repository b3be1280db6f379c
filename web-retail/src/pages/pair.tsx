import { ErrorNotice, Loading, PairDisplayForm } from '@phub/web-kit';
import { useEffect } from 'react';
import { useQuery } from 'urql';
import { graphql } from '../gql';

const RetailPairDisplays = graphql(`
  query RetailPairDisplays($id: ID!) {
    store(id: $id) {
      id
      displays {
        id
        name
      }
    }
  }
`);

/** Pairing: the new player shows a code on its screen; type it here and pick the display it becomes. */
export function PairPage({ storeId }: { storeId: string }) {
  const [result, reexecute] = useQuery({ query: RetailPairDisplays, variables: { id: storeId } });
  useEffect(() => {
    document.title = 'Pair a display or kiosk — Personalisation Hub Store';
  }, []);
  return (
    <>
      <h1 id="page-title">Pair a display or kiosk</h1>
      <ol className="steps small">
        <li>
          Open the player on the screen (its address ends in /player/), or the kiosk on a visitors’ tablet (ending in
          /retail/kiosk): it shows a code.
        </li>
        <li>Choose what the screen is, type the code here and choose which display it stands for.</li>
        <li>A player starts playing that display’s campaigns within a few seconds; a kiosk shows its start screen.</li>
      </ol>
      <section className="section" aria-label="Pairing">
        {result.error && !result.data ? (
          <ErrorNotice error={result.error} onRetry={() => reexecute({ requestPolicy: 'network-only' })} />
        ) : !result.data?.store ? (
          <Loading />
        ) : (
          <PairDisplayForm displays={result.data.store.displays} allowKiosk />
        )}
      </section>
    </>
  );
}
