/**
 * Server-rendered pages of the standalone launch: practitioner sign-in, patient picker, and the
 * error page for requests that cannot be redirected. Plain accessible HTML (labelled controls,
 * one form each), every value escaped.
 */

export interface PersonChoice {
  id: string;
  name: string;
  detail?: string;
}

export function escapeHtml(value: string): string {
  return value.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c,
  );
}

function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)} · Rationale sandbox</title>
<style>
body{font-family:system-ui,sans-serif;max-width:40rem;margin:2rem auto;padding:0 1rem;color:#1b1b1b}
fieldset{border:1px solid #ccc;border-radius:6px;max-height:60vh;overflow:auto}
label{display:block;padding:.35rem .25rem}
label:hover{background:#f2f6fb}
small{color:#555}
button{margin-top:1rem;padding:.5rem 1.25rem;font-size:1rem}
.error{color:#a00}
</style>
</head>
<body>
<main>
${body}
</main>
</body>
</html>`;
}

function choices(name: string, items: readonly PersonChoice[]): string {
  return items
    .map(
      (p, i) =>
        `<label><input type="radio" name="${name}" value="${escapeHtml(p.id)}"${i === 0 ? ' required' : ''}> ${escapeHtml(p.name)}${
          p.detail ? ` <small>${escapeHtml(p.detail)}</small>` : ''
        }</label>`,
    )
    .join('\n');
}

/** Step 1 of a standalone launch: choose who signs in (the sandbox is offline: no passwords). */
export function loginPage(input: {
  requestId: string;
  clientId: string;
  scope: string;
  practitioners: readonly PersonChoice[];
  action: string;
}): string {
  return page(
    'Sign in',
    `<h1>Sign in to the Rationale sandbox</h1>
<p><strong>${escapeHtml(input.clientId)}</strong> asks for access: <code>${escapeHtml(input.scope)}</code></p>
<form method="post" action="${escapeHtml(input.action)}">
<input type="hidden" name="request" value="${escapeHtml(input.requestId)}">
<fieldset>
<legend>Practitioner</legend>
${input.practitioners.length ? choices('practitioner', input.practitioners) : '<p class="error">No practitioners are loaded.</p>'}
</fieldset>
<button type="submit">Sign in</button>
</form>`,
  );
}

/** Step 2 of a standalone launch with `launch/patient`: choose the patient. */
export function patientPickerPage(input: {
  requestId: string;
  patients: readonly PersonChoice[];
  action: string;
}): string {
  return page(
    'Choose a patient',
    `<h1>Choose a patient</h1>
<form method="post" action="${escapeHtml(input.action)}">
<input type="hidden" name="request" value="${escapeHtml(input.requestId)}">
<fieldset>
<legend>Patient</legend>
${input.patients.length ? choices('patient', input.patients) : '<p class="error">No patients are loaded.</p>'}
</fieldset>
<button type="submit">Open</button>
</form>`,
  );
}

/** A request that cannot be redirected back to the app (unknown client or redirect_uri). */
export function errorPage(message: string): string {
  return page(
    'Authorization error',
    `<h1>Authorization error</h1>\n<p class="error" role="alert">${escapeHtml(message)}</p>`,
  );
}
