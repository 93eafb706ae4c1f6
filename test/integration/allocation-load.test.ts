import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitForAllocation } from '../../src/scheduler/allocation.service.ts';
import { createTestContext, type Agent, type TestContext } from '../support/app.ts';
import { submit } from '../support/slots.ts';
import { agentOf, type RoundWorld } from '../support/rounds.ts';
import { allocationWorld, largeRound } from '../support/allocation.ts';

describe('a large allocation', () => {
  let ctx: TestContext;
  let world: RoundWorld;
  let coordinator: Agent;

  beforeAll(async () => {
    ctx = await createTestContext();
    world = await allocationWorld(ctx, { pupils: 0 });
    await largeRound(ctx, world, { pupils: 8000, placements: 800, seats: 8 });
    coordinator = await agentOf(ctx, world.networkCoordinator.user);
  }, 120_000);
  afterAll(() => ctx.close());

  it('does not hold up other requests while it is solved', async () => {
    const path = `/network/rounds/${world.round.id}/allocations`;
    const started = await submit(coordinator, path, { seed: '1' }, path);
    expect(started.status).toBe(303);
    const runPath = started.headers.location as string;
    const seen: { status: string; progress: number }[] = [];
    for (;;) {
      const res = await coordinator.get(`${runPath}/progress`);
      seen.push(res.body);
      if (res.body.status !== 'running') break;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    await waitForAllocation(runPath.split('/').pop()!);
    // Answers came while the solver worked (progress 20–80: solving and explaining, in the worker).
    // (No timing assertion: a loaded CI machine would make one flaky.)
    expect(seen.some((s) => s.status === 'running' && s.progress >= 20 && s.progress < 90)).toBe(true);
    expect(seen.at(-1)).toEqual({ status: 'ready', progress: 100 });
  }, 120_000);
});
