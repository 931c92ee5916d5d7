import { describe, expect, it } from 'vitest';
import { validateForm } from '../../renderer/src/forms/form-values';

describe('form: cross-field rules alongside field errors', () => {
  it('shows the missing name and the end before the start at once', () => {
    expect(validateForm('trip', { name: '', location: '', startDate: '2025-06-10', endDate: '2025-06-01' })).toEqual({
      name: 'Name is required.',
      endDate: 'End date cannot be before the start date.',
    });
  });
});
