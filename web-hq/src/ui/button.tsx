import { Link, type LinkProps } from 'react-router-dom';
import type { ButtonVariant } from '@phub/web-kit';

/** A router link that looks like a button (the Button itself comes from @phub/web-kit). */
export function ButtonLink({ variant = 'secondary', className, ...rest }: LinkProps & { variant?: ButtonVariant }) {
  return <Link {...rest} className={['button', `button--${variant}`, className].filter(Boolean).join(' ')} />;
}
