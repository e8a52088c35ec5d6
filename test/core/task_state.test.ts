// The task lifecycle word: named transitions and their verdicts, and the stage beside it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import * as S from '../../src/runtime/task/state.js';
import * as G from '../../src/runtime/task/stage.js';

test('wake verdicts: idle schedules, running defers, notified and complete ignore', () => {
  const t = { state: 0 };
  assert.equal(S.toNotified(t), S.WAKE_SCHEDULE);
  assert.equal(S.toNotified(t), S.WAKE_IGNORE, 'already queued: not queued twice');
  assert.equal(S.toRunning(t), S.RUN_POLL);
  assert.equal(S.toNotified(t), S.WAKE_DEFER, 'woken while running');
  assert.equal(S.toIdle(t), S.IDLE_RESCHEDULE);
  assert.equal(S.toRunning(t), S.RUN_POLL);
  assert.equal(S.toIdle(t), S.IDLE_WAIT);
  assert.equal(S.toRunning({ state: S.RUNNING }), S.RUN_SKIP);
  const done = { state: S.COMPLETE };
  assert.equal(S.toNotified(done), S.WAKE_IGNORE);
  assert.equal(S.toRunning(done), S.RUN_SKIP);
  assert.equal(S.toCancelled(done), false);
});

test('abort: the first abort asks for a wake, the next poll is a cancel, unwinding is not cancelled again', () => {
  const t = { state: 0 };
  assert.equal(S.toCancelled(t), true);
  assert.equal(S.toCancelled(t), false);
  assert.ok(S.isAbortWaiting(t.state));
  assert.equal(S.toRunning(t), S.RUN_CANCEL);
  S.toCancelling(t);
  assert.ok(!S.isAbortWaiting(t.state));
  assert.equal(S.toIdle(t), S.IDLE_WAIT);
  assert.equal(S.toRunning(t), S.RUN_POLL, 'unwinding continues as ordinary polls');
  assert.equal(S.toComplete(t), true, 'completing while unwinding: the outcome is cancelled');
});

test('property: COMPLETE is final, the stage bits are never touched by a transition', () => {
  const ops = ['wake', 'run', 'idle', 'cancel', 'join', 'unjoin', 'complete'] as const;
  fc.assert(
    fc.property(fc.array(fc.constantFrom(...ops), { maxLength: 40 }), fc.integer({ min: 0, max: 6 }), (seq, stage) => {
      const t = { state: G.withStage(0, stage) };
      let running = false;
      let complete = false;
      for (const op of seq) {
        const before = t.state;
        if (op === 'wake') S.toNotified(t);
        else if (op === 'run') { if (S.toRunning(t) !== S.RUN_SKIP) running = true; }
        else if (op === 'idle') { if (running) { S.toIdle(t); running = false; } }
        else if (op === 'cancel') S.toCancelled(t);
        else if (op === 'join') S.toJoinInterest(t);
        else if (op === 'unjoin') S.dropJoinInterest(t);
        else if (running && !complete) { S.toComplete(t); complete = true; }
        assert.equal(G.stageOf(t.state), stage);
        if (S.isComplete(before)) {
          assert.ok(S.isComplete(t.state));
          assert.equal(t.state & ~S.JOIN_INTEREST & ~S.RUNNING, before & ~S.JOIN_INTEREST & ~S.RUNNING);
        }
      }
    }),
  );
});
