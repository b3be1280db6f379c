import { useState } from 'react';
import { useMutation, useQuery, type CombinedError } from 'urql';
import { graphql } from '../../gql';
import type { LocationZonesQuery, ZoneKind } from '../../gql/graphql';
import { Button, DataTable, Empty, ErrorNotice, Field, Loading, useToast, type Column } from '../../ui';
import { ConfirmDialog, FormDialog, useCanManage, useDialog } from './common';
import { PickersDoc } from './displays-tab';

const ZonesDoc = graphql(`
  query LocationZones($storeId: ID!) {
    store(id: $storeId) {
      id
      name
      zones {
        id
        name
        kind
        displays {
          id
        }
      }
    }
  }
`);
const CreateZoneDoc = graphql(`
  mutation LocationCreateZone($input: CreateZoneInput!) {
    createZone(input: $input) {
      id
      name
      kind
    }
  }
`);
const UpdateZoneDoc = graphql(`
  mutation LocationUpdateZone($input: UpdateZoneInput!) {
    updateZone(input: $input) {
      id
      name
      kind
    }
  }
`);
const ArchiveZoneDoc = graphql(`
  mutation LocationArchiveZone($id: ID!) {
    archiveZone(id: $id) {
      id
      archivedAt
    }
  }
`);

type ZoneRow = NonNullable<LocationZonesQuery['store']>['zones'][number];

export const ZONE_KINDS: Record<ZoneKind, string> = {
  ENTRANCE: 'Entrance',
  WINDOW: 'Window',
  AISLE: 'Aisle',
  COUNTER: 'Counter',
  QUEUE: 'Queue',
  OTHER: 'Other',
};

/** Zones of one store: create, rename, change the kind, archive when no display uses it. */
export function ZonesTab() {
  const canManage = useCanManage();
  const [pickers] = useQuery({ query: PickersDoc });
  const stores = pickers.data?.stores.edges.map((e) => e.node) ?? [];
  const [chosen, setChosen] = useState('');
  const storeId = chosen || stores[0]?.id || '';
  const dialog = useDialog<ZoneRow>();
  const [result, refetch] = useQuery({ query: ZonesDoc, variables: { storeId }, pause: !storeId });
  const store = result.data?.store;
  const refresh = () => refetch({ requestPolicy: 'network-only' });
  const columns: Column<ZoneRow>[] = [
    { key: 'name', header: 'Zone', rowHeader: true, render: (z) => z.name },
    { key: 'kind', header: 'Kind', render: (z) => ZONE_KINDS[z.kind] },
    { key: 'displays', header: 'Displays', render: (z) => z.displays.length },
    {
      key: 'actions',
      header: <span className="visually-hidden">Actions</span>,
      render: (z) =>
        canManage ? (
          <span className="row">
            <Button className="button--small" aria-label={`Edit ${z.name}`} onClick={() => dialog.open('edit', z)}>
              Edit
            </Button>
            <Button
              className="button--small"
              aria-label={`Archive ${z.name}`}
              onClick={() => dialog.open('archive', z)}
            >
              Archive
            </Button>
          </span>
        ) : null,
    },
  ];
  return (
    <div className="stack">
      <div className="locations-bar">
        <form className="filters" aria-label="Choose a store" onSubmit={(e) => e.preventDefault()}>
          <Field label="Store">
            <select value={storeId} onChange={(e) => setChosen(e.target.value)}>
              {stores.map((s) => (
                <option key={s.id} value={s.id}>
                  {s.name}
                </option>
              ))}
            </select>
          </Field>
        </form>
        {canManage && storeId ? (
          <Button variant="primary" onClick={() => dialog.open('new')}>
            New zone
          </Button>
        ) : null}
      </div>
      <ErrorNotice error={result.error ?? pickers.error} onRetry={refresh} />
      {(result.fetching || pickers.fetching) && !store ? <Loading label="Loading zones…" /> : null}
      {pickers.data && !stores.length ? <Empty title="There are no stores yet." /> : null}
      {store ? (
        <DataTable
          caption={`Zones of ${store.name} (${store.zones.length})`}
          columns={columns}
          rows={store.zones}
          rowKey={(z) => z.id}
          empty="This store has no zones yet."
        />
      ) : null}
      {dialog.state?.kind === 'new' || dialog.state?.kind === 'edit' ? (
        <ZoneForm storeId={storeId} zone={dialog.state.row} onClose={dialog.close} onSaved={refresh} />
      ) : null}
      {dialog.state?.kind === 'archive' && dialog.state.row ? (
        <ArchiveZone zone={dialog.state.row} onClose={dialog.close} onDone={refresh} />
      ) : null}
    </div>
  );
}

function ZoneForm({
  storeId,
  zone,
  onClose,
  onSaved,
}: {
  storeId: string;
  zone?: ZoneRow;
  onClose: () => void;
  onSaved: () => void;
}) {
  const toast = useToast();
  const [name, setName] = useState(zone?.name ?? '');
  const [kind, setKind] = useState<ZoneKind>(zone?.kind ?? 'OTHER');
  const [hint, setHint] = useState<string | null>(null);
  const [creating, create] = useMutation(CreateZoneDoc);
  const [updating, update] = useMutation(UpdateZoneDoc);
  const [error, setError] = useState<CombinedError | null>(null);
  const save = async () => {
    setError(null);
    if (!name.trim()) return setHint('A zone needs a name.');
    setHint(null);
    const res = zone
      ? await update({ input: { id: zone.id, name: name.trim(), kind } }, { additionalTypenames: ['Zone'] })
      : await create({ input: { storeId, name: name.trim(), kind } }, { additionalTypenames: ['Zone'] });
    if (res.error) return setError(res.error);
    toast.success(zone ? `Saved “${name.trim()}”.` : `Created the zone “${name.trim()}”.`);
    onSaved();
    onClose();
  };
  return (
    <FormDialog
      title={zone ? `Edit ${zone.name}` : 'New zone'}
      saveLabel={zone ? 'Save' : 'Create zone'}
      busy={creating.fetching || updating.fetching}
      error={error}
      onSave={() => void save()}
      onClose={onClose}
    >
      <Field label="Name" required error={hint}>
        <input value={name} onChange={(e) => setName(e.target.value)} maxLength={200} />
      </Field>
      <Field label="Kind">
        <select value={kind} onChange={(e) => setKind(e.target.value as ZoneKind)}>
          {(Object.keys(ZONE_KINDS) as ZoneKind[]).map((k) => (
            <option key={k} value={k}>
              {ZONE_KINDS[k]}
            </option>
          ))}
        </select>
      </Field>
    </FormDialog>
  );
}

function ArchiveZone({ zone, onClose, onDone }: { zone: ZoneRow; onClose: () => void; onDone: () => void }) {
  const toast = useToast();
  const [state, archive] = useMutation(ArchiveZoneDoc);
  const [error, setError] = useState<CombinedError | null>(null);
  return (
    <ConfirmDialog
      title={`Archive ${zone.name}?`}
      confirmLabel="Archive zone"
      busy={state.fetching}
      error={error}
      onClose={onClose}
      onConfirm={async () => {
        const res = await archive({ id: zone.id }, { additionalTypenames: ['Zone'] });
        if (res.error) return setError(res.error);
        toast.success(`Archived “${zone.name}”.`);
        onDone();
        onClose();
      }}
    >
      <p>
        {zone.displays.length
          ? `${zone.displays.length} displays are still in it: move them to another zone first.`
          : 'No display is in it. Campaigns targeting it match nothing afterwards.'}
      </p>
    </ConfirmDialog>
  );
}
