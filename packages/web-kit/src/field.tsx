import { cloneElement, isValidElement, useId, type ReactElement, type ReactNode } from 'react';

export interface FieldControlProps {
  id: string;
  'aria-describedby'?: string;
  'aria-invalid'?: true;
  'aria-required'?: true;
}

export interface FieldProps {
  label: ReactNode;
  /** A help line under the control */
  hint?: ReactNode;
  /** An error under the control; marks it aria-invalid */
  error?: string | null;
  required?: boolean;
  /** Keep the label for screen readers only */
  hideLabel?: boolean;
  className?: string;
  /** One control (its id and aria attributes are set), or a function given those props */
  children: ReactElement<FieldControlProps> | ((props: FieldControlProps) => ReactNode);
}

/** A label, a control, a hint and an error, wired with id / aria-describedby / aria-invalid. */
export function Field({ label, hint, error, required, hideLabel, className, children }: FieldProps) {
  const id = useId();
  const hintId = hint ? `${id}-hint` : undefined;
  const errorId = error ? `${id}-error` : undefined;
  const describedBy = [hintId, errorId].filter(Boolean).join(' ') || undefined;
  const props: FieldControlProps = {
    id,
    ...(describedBy ? { 'aria-describedby': describedBy } : {}),
    ...(error ? { 'aria-invalid': true as const } : {}),
    ...(required ? { 'aria-required': true as const } : {}),
  };
  const control =
    typeof children === 'function' ? children(props) : isValidElement(children) ? cloneElement(children, props) : null;
  return (
    <div className={['field', error ? 'field--invalid' : null, className].filter(Boolean).join(' ')}>
      <label htmlFor={id} className={hideLabel ? 'visually-hidden' : 'field-label'}>
        {label}
        {required ? (
          <span className="field-required" aria-hidden="true">
            {' '}
            *
          </span>
        ) : null}
      </label>
      {control}
      {hint ? (
        <p id={hintId} className="field-hint">
          {hint}
        </p>
      ) : null}
      {error ? (
        <p id={errorId} className="field-error">
          {error}
        </p>
      ) : null}
    </div>
  );
}
