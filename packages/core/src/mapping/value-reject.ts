/** Why a record's value was refused; the message names the field by its label. */
export class ValueReject {
  readonly message: string;
  constructor(message: string) {
    this.message = message;
  }
}
