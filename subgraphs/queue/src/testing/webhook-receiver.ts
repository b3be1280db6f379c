// The kit's loopback receiver (shared with the campaign's webhook tests).
export { WebhookReceiver, type Received } from '@phub/kit/testing';
