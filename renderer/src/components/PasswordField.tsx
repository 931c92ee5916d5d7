import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useId } from 'react';
import { assessPassword, type PasswordOwner } from '../../../shared/password-policy';

/**
 * What the shared password policy (the server's own estimator) says about the password being typed,
 * for its owner; null while the field is empty. The server checks the same policy again on submit.
 */
export function usePasswordAdvice(password: string, owner: PasswordOwner): { text: string; ok: boolean } | null {
  const assessment = useQuery({
    queryKey: ['password-advice', password, owner.username, owner.name],
    queryFn: () => assessPassword(password, owner),
    enabled: password !== '',
    placeholderData: keepPreviousData,
    // NOTE: the password is part of the key; keep it in memory no longer than the form shows it.
    gcTime: 0,
  });
  if (!password || !assessment.data) return null;
  const { problem } = assessment.data;
  return problem ? { text: problem, ok: false } : { text: 'Strong enough.', ok: true };
}

interface FieldProps {
  label: string;
  value: string;
  onChange: (value: string) => void;
  required?: boolean;
}

/**
 * A password field. A `current` password is only typed; a `new` one gets live strength advice from the
 * password policy for its owner, announced as it changes (the estimator's dictionaries load on the first
 * advice, so forms without a new password never fetch them).
 */
export function PasswordField(props: FieldProps & ({ purpose: 'current' } | { purpose: 'new'; owner: PasswordOwner })) {
  const id = useId();
  const adviceId = `${id}-advice`;
  return (
    <div className="field">
      <label htmlFor={`${id}-input`}>{props.label}</label>
      <input
        id={`${id}-input`}
        type="password"
        value={props.value}
        onChange={(e) => props.onChange(e.target.value)}
        required={props.required ?? true}
        autoComplete={`${props.purpose}-password`}
        aria-describedby={props.purpose === 'new' ? adviceId : undefined}
      />
      {props.purpose === 'new' ? <PasswordAdvice id={adviceId} password={props.value} owner={props.owner} /> : null}
    </div>
  );
}

/** The policy's verdict on the password being typed, read out by screen readers as it changes. */
function PasswordAdvice(props: { id: string; password: string; owner: PasswordOwner }) {
  const advice = usePasswordAdvice(props.password, props.owner);
  return (
    <p id={props.id} className={advice && !advice.ok ? 'field-error' : 'muted'} aria-live="polite">
      {advice ? `Password strength: ${advice.text}` : null}
    </p>
  );
}
