import { DecryptCommand, EncryptCommand, KMSClient } from '@aws-sdk/client-kms';
import { Envelope, type KeyEncryptionKey, LocalMasterKey } from './envelope.js';
import { egress } from '../egress/egress.js';

/**
 * A master key in AWS KMS (`KMS_KEY_ID`): data keys are wrapped with Encrypt and unwrapped with
 * Decrypt, the envelope's context going along as the KMS encryption context (so it shows in
 * CloudTrail and binds the data key to its row). Every replica shares it; nothing is kept on disk.
 */
export class KmsMasterKey implements KeyEncryptionKey {
  readonly id: string;

  constructor(
    private readonly keyId: string,
    // Region and credentials from the usual AWS settings (AWS_REGION, IRSA / Pod Identity).
    private readonly client: KMSClient = new KMSClient({ requestHandler: egress().awsRequestHandler() }),
  ) {
    this.id = `kms:${keyId}`;
  }

  /** A retired KMS key (from a sealed value's `kms:<key id>`): same client, same region and credentials. */
  sibling(id: string): KmsMasterKey | undefined {
    return id.startsWith('kms:') ? new KmsMasterKey(id.slice('kms:'.length), this.client) : undefined;
  }

  async wrap(dataKey: Buffer, context: string): Promise<Buffer> {
    const out = await this.client.send(
      new EncryptCommand({ KeyId: this.keyId, Plaintext: dataKey, EncryptionContext: { context } }),
    );
    if (!out.CiphertextBlob) throw new Error('KMS Encrypt returned no ciphertext');
    return Buffer.from(out.CiphertextBlob);
  }

  async unwrap(wrapped: Buffer, context: string): Promise<Buffer> {
    const out = await this.client.send(
      new DecryptCommand({ KeyId: this.keyId, CiphertextBlob: wrapped, EncryptionContext: { context } }),
    );
    if (!out.Plaintext) throw new Error('KMS Decrypt returned no plaintext');
    return Buffer.from(out.Plaintext);
  }
}

/**
 * The envelope a subgraph seals its data keys with: the KMS key when one is configured (replicas share it), else
 * the master key file under DATA_DIR (0600, created on first start).
 */
export function masterKeyEnvelope(kmsKeyId: string | undefined, dataDir: string): Envelope {
  return new Envelope(kmsKeyId ? new KmsMasterKey(kmsKeyId) : LocalMasterKey.loadOrCreate(dataDir));
}
