import type { Response } from 'express';
import { AppError, type FieldProblems } from './errors.ts';

/**
 * Runs a form's action. If it fails with field problems (422 validation, or a 409 such as
 * email_taken that names a field), the same page is shown again with each field's message
 * and the submitted values; other errors go on to the error handler.
 */
export async function handleForm(
  res: Response,
  action: () => Promise<void>,
  showAgain: (values: Record<string, unknown>, fields: FieldProblems) => Promise<void>,
): Promise<void> {
  try {
    await action();
  } catch (error) {
    if (!(error instanceof AppError) || !error.fields) throw error;
    res.status(error.status);
    await showAgain(res.req.body ?? {}, error.fields);
  }
}
