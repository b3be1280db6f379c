import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A Publish request as the stand-in received it (form fields of the AWS Query protocol). */
export interface PublishRequest {
  fields: Record<string, string>;
  phoneNumber: string;
  message: string;
  /** MessageAttributes by name (the StringValue of each). */
  attributes: Record<string, string>;
  authorization: string | undefined;
}

/** What the stand-in answers next: success, or an SNS error (Code, HTTP status). */
export type PublishAnswer = { ok: true } | { ok: false; status: number; code: string; message: string };

/**
 * A local HTTP endpoint that answers as SNS's Publish API documents (AWS Query protocol: a form-encoded POST
 * with Action=Publish, an XML PublishResponse with the MessageId, or an XML ErrorResponse), so the real AWS
 * SDK, pointed at it with `endpoint`, runs its whole request and response path.
 */
export class SnsStandIn {
  readonly requests: PublishRequest[] = [];
  readonly messageIds: string[] = [];
  /** Answers to give, in order; when empty, success. */
  readonly script: PublishAnswer[] = [];
  private constructor(readonly server: Server) {}

  static async start(): Promise<SnsStandIn> {
    const standIn: SnsStandIn = new SnsStandIn(
      createServer((req, res) => {
        const chunks: Buffer[] = [];
        req.on('data', (c: Buffer) => chunks.push(c));
        req.on('end', () => {
          const fields = Object.fromEntries(new URLSearchParams(Buffer.concat(chunks).toString('utf8')));
          const requestId = randomUUID();
          res.setHeader('content-type', 'text/xml');
          res.setHeader('x-amzn-requestid', requestId);
          if (req.method !== 'POST' || fields['Action'] !== 'Publish' || fields['Version'] !== '2010-03-31') {
            res.statusCode = 400;
            res.end(errorXml('InvalidAction', 'Only Publish is served here', requestId));
            return;
          }
          const attributes: Record<string, string> = {};
          for (let n = 1; fields[`MessageAttributes.entry.${n}.Name`]; n++) {
            attributes[fields[`MessageAttributes.entry.${n}.Name`]!] =
              fields[`MessageAttributes.entry.${n}.Value.StringValue`]!;
          }
          standIn.requests.push({
            fields,
            phoneNumber: fields['PhoneNumber'] ?? '',
            message: fields['Message'] ?? '',
            attributes,
            authorization: req.headers.authorization,
          });
          const answer = standIn.script.shift() ?? { ok: true };
          if (!answer.ok) {
            res.statusCode = answer.status;
            res.end(errorXml(answer.code, answer.message, requestId, answer.status >= 500 ? 'Receiver' : 'Sender'));
            return;
          }
          const messageId = randomUUID();
          standIn.messageIds.push(messageId);
          res.statusCode = 200;
          res.end(
            `<PublishResponse xmlns="https://sns.amazonaws.com/doc/2010-03-31/"><PublishResult><MessageId>${messageId}</MessageId></PublishResult><ResponseMetadata><RequestId>${requestId}</RequestId></ResponseMetadata></PublishResponse>`,
          );
        });
      }),
    );
    await new Promise<void>((resolve) => standIn.server.listen(0, '127.0.0.1', resolve));
    return standIn;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

function errorXml(code: string, message: string, requestId: string, type = 'Sender'): string {
  return `<ErrorResponse xmlns="https://sns.amazonaws.com/doc/2010-03-31/"><Error><Type>${type}</Type><Code>${code}</Code><Message>${message}</Message></Error><RequestId>${requestId}</RequestId></ErrorResponse>`;
}
