import { notFound, unauthenticated } from '@phub/kit';

export const pairingCodeUnknown = (code: string) => notFound('Pairing code', code);
export const pairingSecretInvalid = () => unauthenticated('Pairing code or secret is not valid');
