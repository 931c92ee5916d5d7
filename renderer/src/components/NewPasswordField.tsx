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

/** A new password's field with live strength advice from the password policy, announced as it changes. */
export function NewPasswordField(props: {
  label: string;
  value: string;
  onChange: (value: string) => void;
  owner: PasswordOwner;
  required?: boolean;
}) {
  const id = useId();
  const advice = usePasswordAdvice(props.value, props.owner);
  return (
    <div className="field">
      <label htmlFor={`${id}-input`}>{props.label}</label>
      <input
        id={`${id}-input`}
        type="password"
        value={props.value}
        onChange={(e) => props.onChange(e.target.value)}
        required={props.required ?? true}
        autoComplete="new-password"
        aria-describedby={`${id}-advice`}
      />
      <p id={`${id}-advice`} className={advice && !advice.ok ? 'field-error' : 'muted'} aria-live="polite">
        {advice ? `Password strength: ${advice.text}` : null}
      </p>
    </div>
  );
}
