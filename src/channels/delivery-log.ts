/**
 * Remembers platform deliveries already handled, so a redelivered event or activity runs nothing
 * twice (kept in the store: see DeliveryStore). Ids are prefixed by platform.
 */
export interface DeliveryLog {
  /** True the first time an id is offered; false for a redelivery. */
  firstTime(id: string): Promise<boolean>;
}
