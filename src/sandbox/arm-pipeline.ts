import { randomUUID } from 'node:crypto';
import { ArmError } from './arm-errors.js';
import type { ArmResponse, ArmRouter } from './arm-router.js';
import type { FaultInjector } from './fault-controller.js';
import type { RequestBody } from './http-io.js';
import { RequestBudget } from './request-budget.js';

export interface ArmCall {
  method: string;
  url: URL;
  body: RequestBody;
  authorization: string | undefined;
  baseUrl: string;
}

interface PipelineParts {
  router: ArmRouter;
  faults: FaultInjector;
  /** Recovery Services' request budget; undefined turns it off. */
  budget: RequestBudget | undefined;
  /** Brings operations and jobs up to the simulated now. */
  catchUp: () => void;
}

const RECOVERY_SERVICES = /\/providers\/Microsoft\.RecoveryServices\//i;

/**
 * One ARM request, in Azure's order: authentication → injected and random faults → Recovery
 * Services request budget → route. Everything before the route is decided before any state
 * changes, so a refused request has no effect and a client's retry is safe.
 */
export function createArmPipeline(parts: PipelineParts): (call: ArmCall) => ArmResponse {
  const { router, faults, budget, catchUp } = parts;
  // ARM's own per-principal counters (DESIGN.md section 3), reported but not enforced.
  const reads = new RequestBudget(250, 25);
  const writes = new RequestBudget(200, 10);

  return (call) => {
    const { method, url } = call;
    const isRead = method === 'GET' || method === 'HEAD';
    const common: Record<string, string> = {
      'x-ms-request-id': randomUUID(),
      'x-ms-correlation-request-id': randomUUID(),
      [`x-ms-ratelimit-remaining-subscription-${isRead ? 'reads' : 'writes'}`]: String(
        (isRead ? reads : writes).count(),
      ),
    };
    try {
      if (!call.authorization || !/^Bearer\s+\S/i.test(call.authorization)) {
        throw new ArmError(
          401,
          'AuthenticationFailed',
          "Authentication failed. The 'Authorization' header is missing.",
        );
      }
      const fault = faults.decide(method, url.pathname);
      if (fault) throw fault;
      if (budget && RECOVERY_SERVICES.test(url.pathname)) {
        const taken = budget.take();
        if (!taken.ok) {
          common['x-ms-ratelimit-remaining-subscription-resource-requests'] = '0';
          throw new ArmError(
            429,
            'TooManyRequests',
            'The request is being throttled: the Recovery Services request budget of the subscription is used up. Please retry after the time given in the Retry-After header.',
            faults.retryHeaders(taken.retryAfterMs),
          );
        }
        common['x-ms-ratelimit-remaining-subscription-resource-requests'] = String(taken.remaining);
      }
      if (!url.searchParams.get('api-version')) {
        throw new ArmError(
          400,
          'MissingApiVersionParameter',
          'The api-version query parameter (?api-version=) is required for all requests.',
        );
      }
      if (call.body.kind === 'invalid') {
        throw new ArmError(
          400,
          'InvalidRequestContent',
          'The request content was invalid and could not be deserialized.',
        );
      }
      const route = router.match(method, url.pathname);
      if (route === 'method-not-allowed') {
        throw new ArmError(
          405,
          'MethodNotAllowed',
          `The requested resource does not support http method '${method}'.`,
        );
      }
      if (!route) {
        throw new ArmError(
          404,
          'InvalidResourceType',
          `The resource type could not be found for path '${url.pathname}' (the sandbox serves the subset of ARM the bot uses).`,
        );
      }
      // Events due by now happen before the request sees the world (a running clock moves on its own).
      catchUp();
      const answer = route.handler({
        method,
        url,
        params: route.params,
        body: call.body.kind === 'json' ? call.body.value : undefined,
        baseUrl: call.baseUrl,
      });
      return { ...answer, headers: { ...common, ...answer.headers } };
    } catch (e) {
      if (e instanceof ArmError)
        return { status: e.status, body: e.body(), headers: { ...common, ...e.headers } };
      throw e;
    }
  };
}
