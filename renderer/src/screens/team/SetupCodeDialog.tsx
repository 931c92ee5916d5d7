import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { MAX_SETUP_CODE_DAYS } from '../../../../shared/team';
import { useTRPC } from '../../api/client';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { SetupCodeShown } from './SetupCodeShown';
import { describeConsequence, whoIs, type TeamUser } from './user-change';

const DEFAULT_DAYS = 7;

/**
 * A new invitation (the user never chose a password) or a password reset: the server first says what
 * the code will do (a dry run), then the admin confirms and sees the code once.
 */
export function SetupCodeDialog(props: { user: TeamUser; onClose: () => void }) {
  const { user } = props;
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [days, setDays] = useState(DEFAULT_DAYS);
  const preview = useMutation(trpc.team.issueSetupCode.mutationOptions());
  const issue = useMutation(
    trpc.team.issueSetupCode.mutationOptions({
      onSuccess: () => void queryClient.invalidateQueries({ queryKey: trpc.team.pathKey() }),
    }),
  );
  const { mutate: askServer } = preview;
  useEffect(() => askServer({ id: user.id, dryRun: true }), [askServer, user.id]);
  const reset = !user.invited;
  if (issue.data?.setupCode) {
    return <SetupCodeShown username={user.username} setupCode={issue.data.setupCode} onDone={props.onClose} />;
  }
  return (
    <ConfirmDialog
      title={reset ? `Reset the password of ${user.username}?` : `New invitation for ${user.username}?`}
      confirmLabel={reset ? 'Create a reset code' : 'Create an invitation code'}
      busy={issue.isPending || !preview.data}
      error={preview.error ?? issue.error}
      onConfirm={() => issue.mutate({ id: user.id, expiresInDays: days })}
      onCancel={props.onClose}
    >
      <p>
        {reset
          ? `${whoIs(user)} chooses a new password with the code.`
          : `${whoIs(user)} chooses a password with the code and signs in.`}{' '}
        {user.setupCode ? 'The code given out before stops working. ' : ''}
        {preview.data ? describeConsequence(whoIs(user), preview.data.consequence) : 'Asking the server…'}
      </p>
      <label>
        Valid for (days)
        <input
          type="number"
          min={1}
          max={MAX_SETUP_CODE_DAYS}
          value={days}
          onChange={(e) => setDays(Number(e.target.value))}
        />
      </label>
    </ConfirmDialog>
  );
}
