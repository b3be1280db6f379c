import { PublishCommand, SNSClient, type SNSClientConfig } from '@aws-sdk/client-sns';
import { egress } from '@phub/kit';
import { SmsTransportName } from './sms.entity.js';

/** A send that failed; `permanent` when trying again cannot help (a number SNS refuses, a bad request). */
export class SmsSendError extends Error {
  constructor(
    message: string,
    readonly permanent: boolean,
  ) {
    super(message);
  }
}

/** Where an SMS goes: SNS when configured, else nowhere but the outbox table. */
export interface SmsTransport {
  readonly name: SmsTransportName;
  /** The provider's message id when there is one; throws SmsSendError. */
  send(to: string, body: string, signal?: AbortSignal): Promise<string | null>;
}

/** SNS is not configured: the message is only kept in `sms_message` (the outbox staff and HQ read). */
export class OutboxSmsTransport implements SmsTransport {
  readonly name = SmsTransportName.OUTBOX;
  async send(): Promise<string | null> {
    return null;
  }
}

export interface SnsSmsSettings {
  region: string;
  /** Another endpoint than AWS's (a local SNS-compatible service; the tests' stand-in). */
  endpoint?: string;
  /** Alphanumeric sender id where the destination country allows one. */
  senderId?: string;
  /** Only for tests; otherwise the SDK's default chain (role, environment). */
  credentials?: SNSClientConfig['credentials'];
}

// Publish errors (as the SDK names them) that a retry will not fix: the request or number is wrong, or refused.
const PERMANENT = new Set([
  'InvalidParameterException',
  'InvalidParameterValueException',
  'AuthorizationErrorException',
  'EndpointDisabledException',
  'NotFoundException',
  'ValidationException',
]);

/** SMS straight to a phone number with SNS Publish (transactional, so it is not dropped for cost). */
export class SnsSmsTransport implements SmsTransport {
  readonly name = SmsTransportName.SNS;
  private readonly client: SNSClient;

  constructor(private readonly settings: SnsSmsSettings) {
    this.client = new SNSClient({
      region: settings.region,
      maxAttempts: 1, // the queue's own retries, with backoff and a durable record, replace the SDK's
      requestHandler: egress().awsRequestHandler(),
      ...(settings.endpoint ? { endpoint: settings.endpoint } : {}),
      ...(settings.credentials ? { credentials: settings.credentials } : {}),
    });
  }

  async send(to: string, body: string, signal?: AbortSignal): Promise<string | null> {
    const attributes: NonNullable<ConstructorParameters<typeof PublishCommand>[0]['MessageAttributes']> = {
      'AWS.SNS.SMS.SMSType': { DataType: 'String', StringValue: 'Transactional' },
    };
    if (this.settings.senderId) {
      attributes['AWS.SNS.SMS.SenderID'] = { DataType: 'String', StringValue: this.settings.senderId };
    }
    try {
      const out = await this.client.send(
        new PublishCommand({ PhoneNumber: to, Message: body, MessageAttributes: attributes }),
        signal ? { abortSignal: signal } : {},
      );
      return out.MessageId ?? null;
    } catch (err) {
      const e = err as { name?: string; message?: string; $fault?: string };
      const name = e.name ?? 'Error';
      throw new SmsSendError(`SNS ${name}: ${e.message ?? 'failed'}`, PERMANENT.has(name));
    }
  }

  close(): void {
    this.client.destroy();
  }
}
