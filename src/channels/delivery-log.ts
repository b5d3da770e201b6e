/**
 * Remembers platform deliveries already handled, so a redelivered event or activity runs nothing
 * twice (kept in the store: see DeliveryStore). Ids are prefixed by platform.
 */
export interface DeliveryLog {
  /** True the first time an id is offered; false for a redelivery. */
  firstTime(id: string): Promise<boolean>;
  /** Forgets an id whose handling failed before it did anything, so a redelivery runs it. */
  forget(id: string): Promise<void>;
}
