import { ENTITY_TYPES, entities } from '../../shared/entities';
import { expect, openLibrary, snap, test } from './fixtures';

test('create, edit and search an entry of every type, as a user types', async ({ page, app }) => {
  await page.goto(app.url);
  for (const type of ENTITY_TYPES) {
    const descriptor = entities[type];
    const titleLabel = descriptor.titleField === 'title' ? 'Title' : 'Name';
    await openLibrary(page, descriptor.pluralLabel);
    await page.getByRole('button', { name: new RegExp(`^New ${descriptor.label.toLowerCase()}`) }).click();
    const form = page.getByRole('form', { name: `${descriptor.label.toLowerCase()} form` });
    await form.getByLabel(titleLabel, { exact: true }).fill(`Alpha ${descriptor.label}`);
    await form.getByRole('button', { name: /^Save/ }).click();
    await expect(form.getByRole('status')).toHaveText('Saved.');
    await expect(page.getByRole('heading', { name: `Edit ${descriptor.label.toLowerCase()}` })).toBeVisible();

    // Edit: rename and save with the keyboard shortcut.
    await form.getByLabel(titleLabel, { exact: true }).fill(`Bravo ${descriptor.label}`);
    await page.keyboard.press('Control+s');
    await expect(form.getByRole('status')).toHaveText('Saved.');
    const table = page.getByRole('grid', { name: descriptor.pluralLabel });
    await expect(table).toContainText(`Bravo ${descriptor.label}`);
    await expect(table).not.toContainText(`Alpha ${descriptor.label}`);

    // Search as you type (Ctrl+K focuses the box).
    await page.keyboard.press('Escape');
    await page.keyboard.press('Control+k');
    await page.keyboard.type('brav');
    await expect(page.getByRole('region', { name: 'Search results' }).getByTestId('search-hit')).toHaveText([
      `Bravo ${descriptor.label}`,
    ]);
    await page.getByLabel(`Search ${descriptor.pluralLabel.toLowerCase()}`).fill('nothing like this');
    await expect(page.getByRole('region', { name: 'Search results' })).toContainText('Nothing matches');
    await page.getByLabel(`Search ${descriptor.pluralLabel.toLowerCase()}`).fill('');
  }
  const nav = page.getByRole('navigation', { name: 'Main' });
  for (const type of ENTITY_TYPES) {
    await expect(nav.getByRole('button', { name: new RegExp(`^${entities[type].pluralLabel}`) })).toContainText('1');
  }
  await snap(page, 'library');
});

test('references are picked by searching, aliases are chips, and lists sort by column', async ({ page, app }) => {
  await app.caller.entities.create({ type: 'person', fields: { name: 'Zoe Quinn' } });
  await app.caller.entities.create({ type: 'dog', fields: { name: 'Rex' } });
  await app.caller.entities.create({ type: 'video', fields: { title: 'Beta walk', publishedAt: '2024-01-02' } });
  await page.goto(app.url);
  await openLibrary(page, 'Videos');
  await page.getByRole('button', { name: /^New video/ }).click();
  const form = page.getByRole('form', { name: 'video form' });
  await form.getByLabel('Title', { exact: true }).fill('Alpha run');
  await form.getByRole('combobox', { name: 'People' }).fill('zo');
  await page.getByRole('option', { name: 'Zoe Quinn' }).click();
  await form.getByRole('combobox', { name: 'Dogs' }).fill('re');
  await form.getByRole('combobox', { name: 'Dogs' }).press('Enter');
  await expect(form.getByRole('button', { name: 'Remove Rex from Dogs' })).toBeVisible();
  await form.getByRole('button', { name: /^Save/ }).click();
  await expect(form.getByRole('status')).toHaveText('Saved.');

  const table = page.getByRole('grid', { name: 'Videos' });
  await expect(table.getByRole('row').nth(1)).toContainText('Alpha run');
  await table.getByRole('button', { name: /^Title/ }).click();
  await expect(table.getByRole('row').nth(1)).toContainText('Beta walk');
  await expect(table.getByRole('columnheader', { name: /Title/ })).toHaveAttribute('aria-sort', 'descending');

  // Filter videos by a person through the registry-derived picker.
  await page.getByRole('combobox', { name: 'With person' }).fill('zoe');
  await page.getByRole('option', { name: 'Zoe Quinn' }).click();
  await expect(table.getByRole('row')).toHaveCount(2);
  await expect(table).toContainText('Alpha run');

  await openLibrary(page, 'People');
  await page.getByRole('row', { name: /Zoe Quinn/ }).click();
  const personForm = page.getByRole('form', { name: 'person form' });
  const aliases = personForm.getByRole('textbox', { name: 'Aliases' });
  await aliases.fill('ZQ');
  await aliases.press('Enter');
  await aliases.fill('Zo');
  await aliases.press('Enter');
  await expect(personForm.getByRole('group', { name: 'Aliases' })).toContainText('ZQ');
  await personForm.getByRole('button', { name: /^Save/ }).click();
  await expect(personForm.getByRole('status')).toHaveText('Saved.');
  const person = (await app.caller.entities.search({ query: 'ZQ', types: ['person'] }))[0]!;
  expect(await app.caller.entities.get({ type: 'person', id: person.id })).toMatchObject({ aliases: ['ZQ', 'Zo'] });
  await snap(page, 'editor-person');
});

test('validation messages from the shared schemas appear inline, in words', async ({ page, app }) => {
  await page.goto(app.url);
  await openLibrary(page, 'Videos');
  await page.getByRole('button', { name: /^New video/ }).click();
  const form = page.getByRole('form', { name: 'video form' });
  await form.getByLabel('YouTube id').fill('short');
  await form.getByLabel('Duration').fill('1:99');
  await form.getByRole('button', { name: /^Save/ }).click();
  await expect(form.getByRole('alert')).toContainText('Please fix the fields marked below.');
  await expect(form.getByLabel('Title', { exact: true })).toHaveAccessibleDescription('Title is required.');
  await expect(form.getByLabel('YouTube id')).toHaveAccessibleDescription(/exactly 11 characters/);
  await expect(form.getByLabel('Duration')).toHaveAccessibleDescription(
    'Minutes and seconds in a duration must be below 60.',
  );
  await snap(page, 'editor-validation');

  await openLibrary(page, 'Trips');
  await page.getByRole('button', { name: /^New trip/ }).click();
  const trip = page.getByRole('form', { name: 'trip form' });
  await trip.getByLabel('Name', { exact: true }).fill('Alps');
  await trip.getByLabel('Start date').fill('2024-05-02');
  await trip.getByLabel('End date').fill('2024-05-01');
  await expect(trip.getByLabel('End date')).toHaveAccessibleDescription('End date cannot be before the start date.');

  // A rule only the core can check (unique names) comes back inline too.
  await app.caller.entities.create({ type: 'dog', fields: { name: 'Rex' } });
  await openLibrary(page, 'Dogs');
  await page.getByRole('button', { name: /^New dog/ }).click();
  const dog = page.getByRole('form', { name: 'dog form' });
  await dog.getByLabel('Name', { exact: true }).fill('rex');
  await dog.getByRole('button', { name: /^Save/ }).click();
  await expect(dog.getByLabel('Name', { exact: true })).toHaveAccessibleDescription(/already/i);
});

test('an unsaved draft survives a reload', async ({ page, app }) => {
  await page.goto(app.url);
  await openLibrary(page, 'People');
  await page.getByRole('button', { name: /^New person/ }).click();
  const form = page.getByRole('form', { name: 'person form' });
  await form.getByLabel('Name', { exact: true }).fill('Half-typed Name');
  await form.getByLabel('Bio').fill('Started typing this and then the laptop');
  await expect(form.getByRole('status')).toHaveText('Unsaved changes (kept as a draft).');
  await page.reload();
  const again = page.getByRole('form', { name: 'person form' });
  await expect(again.getByLabel('Name', { exact: true })).toHaveValue('Half-typed Name');
  await expect(again.getByLabel('Bio')).toHaveValue('Started typing this and then the laptop');
  await expect(again.getByRole('status')).toHaveText('Restored your unsaved changes.');
  await again.getByRole('button', { name: /^Save/ }).click();
  await expect(again.getByRole('status')).toHaveText('Saved.');
  expect(await app.caller.entities.search({ query: 'Half-typed', types: ['person'] })).toHaveLength(1);
});

test('search everything from the header finds entries of any type by title or alias', async ({ page, app }) => {
  await app.caller.entities.create({ type: 'person', fields: { name: 'Marta Lind', aliases: ['Mo'] } });
  await app.caller.entities.create({ type: 'trip', fields: { name: 'Mountain week' } });
  await page.goto(app.url);
  const box = page.getByRole('combobox', { name: 'Search everything' });
  await box.fill('m');
  const matches = page.getByRole('listbox', { name: 'Matches' });
  await expect(matches.getByRole('option')).toHaveCount(2);
  await box.fill('mo');
  await expect(matches.getByRole('option').first()).toContainText('Marta Lind');
  await box.press('Enter');
  await expect(page.getByRole('form', { name: 'person form' }).getByLabel('Name', { exact: true })).toHaveValue(
    'Marta Lind',
  );
});

test('the list is virtualized and pages by cursor as it scrolls', async ({ page, app }) => {
  for (let i = 0; i < 230; i++) {
    await app.caller.entities.create({ type: 'series', fields: { name: `Series ${String(i).padStart(3, '0')}` } });
  }
  await page.goto(app.url);
  await openLibrary(page, 'Series');
  const table = page.getByRole('grid', { name: 'Series' });
  await expect(table).toContainText('Series 000');
  // Only the rows in view exist in the page, not all 230.
  expect(await table.locator('.table-row').count()).toBeLessThan(60);
  const body = page.getByTestId('library-rows');
  await body.hover();
  // Scroll as a user does; each page of 100 loads when its end comes into view.
  for (let i = 0; i < 20 && !(await table.getByText('Series 229').isVisible()); i++) {
    await page.mouse.wheel(0, 4000);
    await page.waitForTimeout(100);
  }
  await expect(table.getByText('Series 229')).toBeVisible();
  expect(await table.locator('.table-row').count()).toBeLessThan(60);
});
