import { useState } from 'react';
import { Dialog } from '../../components/Dialog';
import { formatSetupCode } from '../../../../shared/team';
import type { Outputs } from '../../api/types';

export type IssuedSetupCode = NonNullable<Outputs['team']['issueSetupCode']['setupCode']>;

/**
 * A setup code as the server hands it out: once. The server keeps only its hash, so this is the only
 * time anyone sees it; the admin copies the code or the link and passes it on.
 */
export function SetupCodeShown(props: { username: string; setupCode: IssuedSetupCode; onDone: () => void }) {
  const { setupCode } = props;
  const code = formatSetupCode(setupCode.code);
  const what = setupCode.kind === 'invitation' ? 'Invitation' : 'Password reset';
  return (
    <Dialog title={`Setup code for ${props.username}`} open onClose={props.onDone}>
      <p>
        {what} for <strong>{props.username}</strong>, valid until {new Date(setupCode.expiresAt).toLocaleString()}. It
        is shown only now: copy it and pass it on. In Curio they choose “I have a setup code” when signing in.
      </p>
      <p>
        Setup code: <code aria-label="Setup code">{code}</code> <CopyButton text={code} what="code" />
      </p>
      <p>
        Setup link: <code aria-label="Setup link">{setupCode.link}</code>{' '}
        <CopyButton text={setupCode.link} what="link" />
      </p>
      <button type="button" className="btn primary" onClick={props.onDone}>
        Done
      </button>
    </Dialog>
  );
}

function CopyButton(props: { text: string; what: string }) {
  const [copied, setCopied] = useState<'yes' | 'failed' | null>(null);
  return (
    <>
      <button
        type="button"
        className="btn"
        onClick={() =>
          navigator.clipboard.writeText(props.text).then(
            () => setCopied('yes'),
            () => setCopied('failed'),
          )
        }
      >
        Copy {props.what}
      </button>
      <span role="status">
        {copied === 'yes' ? 'Copied.' : copied === 'failed' ? 'Copying was refused; select the text and copy it.' : ''}
      </span>
    </>
  );
}
