import { DEMO_TENANT_ID } from '@phub/kit';
import { DEMO_CREATIVES, demoCreativeId } from '../modules/creative/index.js';
import type { CampaignHarness, GraphQLResponse } from './harness.js';

/** Ids of the demo tenant's seeded creatives, by file name order of DEMO_CREATIVES. */
export const demoCreatives = DEMO_CREATIVES.map((c) => demoCreativeId(DEMO_TENANT_ID, c.file));

export const CAMPAIGN_FIELDS = `id name status priority weight storeId reviewNote creativeIds
  schedule { startDate endDate startsAt endsAt maxPlaysPerHour dayparts { days from to } }
  targeting { include { kind value } exclude { kind value } }
  history { action fromStatus toStatus actorId reason storeId occurredAt }`;

export interface CampaignData {
  id: string;
  name: string;
  status: string;
  priority: number;
  reviewNote: string | null;
  creativeIds: string[];
  history: { action: string; fromStatus: string | null; toStatus: string; actorId: string; reason: string | null }[];
}

/** createCampaign with small valid defaults (one demo creative, whole tenant). */
export async function createCampaign(
  h: CampaignHarness,
  token: string,
  input: Record<string, unknown> = {},
): Promise<GraphQLResponse<{ createCampaign: CampaignData }>> {
  return h.gql<{ createCampaign: CampaignData }>(
    `mutation($i: CreateCampaignInput!) { createCampaign(input: $i) { ${CAMPAIGN_FIELDS} } }`,
    { i: { name: `Test ${Math.random().toString(36).slice(2, 8)}`, creativeIds: [demoCreatives[3]], ...input } },
    token,
  );
}

/** Runs a one-id workflow mutation (submitCampaign, approveCampaign, …). */
export async function act(
  h: CampaignHarness,
  token: string,
  mutation: string,
  id: string,
  extra = '',
): Promise<GraphQLResponse<Record<string, CampaignData>>> {
  return h.gql<Record<string, CampaignData>>(
    `mutation($id: ID!) { ${mutation}(id: $id${extra}) { ${CAMPAIGN_FIELDS} } }`,
    { id },
    token,
  );
}

/** A LIVE campaign made through the workflow (create, submit, approve with goLive). */
export async function liveCampaign(h: CampaignHarness, admin: string, input: Record<string, unknown> = {}) {
  const created = await createCampaign(h, admin, input);
  if (created.errors) throw new Error(JSON.stringify(created.errors));
  const id = created.data!.createCampaign.id;
  const submitted = await act(h, admin, 'submitCampaign', id);
  if (submitted.errors) throw new Error(JSON.stringify(submitted.errors));
  const approved = await act(h, admin, 'approveCampaign', id);
  if (approved.errors) throw new Error(JSON.stringify(approved.errors));
  return id;
}

export const PLAYLIST_QUERY = `query($d: ID!, $at: DateTimeISO) {
  displayPlaylist(displayId: $d, at: $at) {
    displayId version validUntil
    items { campaignId overrideId creativeId url mimeType durationMs checksum validUntil }
  }
}`;

export interface PlaylistData {
  displayPlaylist: {
    displayId: string;
    version: string;
    validUntil: string | null;
    items: { campaignId: string | null; overrideId: string | null; creativeId: string }[];
  };
}

/** Campaign ids in one display's playlist now (or at `at`). */
export async function playlistOf(h: CampaignHarness, token: string, displayId: string, at?: string) {
  const res = await h.gql<PlaylistData>(PLAYLIST_QUERY, { d: displayId, at }, token);
  if (res.errors) throw new Error(JSON.stringify(res.errors));
  return res.data!.displayPlaylist;
}
