/** An ARM error answer: `{"error":{"code","message"}}` with its HTTP status. */
export class ArmError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }

  body(): { error: { code: string; message: string } } {
    return { error: { code: this.code, message: this.message } };
  }
}

export const notFound = (code: string, message: string): ArmError => new ArmError(404, code, message);
export const badRequest = (code: string, message: string): ArmError => new ArmError(400, code, message);
export const conflict = (code: string, message: string): ArmError => new ArmError(409, code, message);
