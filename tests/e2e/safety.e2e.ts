/**
 * Issue 11: the places where people act are as safe as the engine under them.
 * One test per numbered point of the issue (SAFETY-1 … SAFETY-8); two browser
 * contexts, two cores and a real server where two people are involved.
 */

// <SAFETY-1: an open editor follows its document live and never overwrites an unseen change>

// <SAFETY-2: purge previews, respects the retention floor and asks for a typed word>

// <SAFETY-3: restore previews, never replaces a newer version by default, safety snapshots>

// <SAFETY-4: screens follow the role; a demoted user is told and their unsent changes are listed>

// <SAFETY-5: trashing a linked entry warns; trashed chips say so; unrelated saves still work>

// <SAFETY-6: team changes ask first and say what the user will lose>

// <SAFETY-7: browser mode reconnects after a restart of the host>

// <SAFETY-8: the sync badge tells the truth>
