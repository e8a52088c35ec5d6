// The task lifecycle word: named transitions and their verdicts, and the stage beside it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import * as S from '../../src/runtime/task/state.js';
import * as G from '../../src/runtime/task/stage.js';

test('wake verdicts: idle schedules, running defers, notified and complete ignore', () => {
  const t = { state: 0 };
  assert.equal(S.toNotified(t), S.WakeVerdict.SCHEDULE);
  assert.equal(S.toNotified(t), S.WakeVerdict.IGNORE, 'already queued: not queued twice');
  assert.equal(S.toRunning(t), S.RunVerdict.POLL);
  assert.equal(S.toNotified(t), S.WakeVerdict.DEFER, 'woken while running');
  assert.equal(S.toIdle(t), S.IdleVerdict.RESCHEDULE);
  assert.equal(S.toRunning(t), S.RunVerdict.POLL);
  assert.equal(S.toIdle(t), S.IdleVerdict.WAIT);
  assert.equal(S.toRunning({ state: S.Lifecycle.RUNNING }), S.RunVerdict.SKIP);
  const done = { state: S.Lifecycle.COMPLETE };
  assert.equal(S.toNotified(done), S.WakeVerdict.IGNORE);
  assert.equal(S.toRunning(done), S.RunVerdict.SKIP);
  assert.equal(S.toCancelled(done), false);
});

test('abort: the first abort asks for a wake, the next poll is a cancel, unwinding is not cancelled again', () => {
  const t = { state: 0 };
  assert.equal(S.toCancelled(t), true);
  assert.equal(S.toCancelled(t), false);
  assert.ok(S.isAbortWaiting(t.state));
  assert.equal(S.toRunning(t), S.RunVerdict.CANCEL);
  S.toCancelling(t);
  assert.ok(!S.isAbortWaiting(t.state));
  assert.equal(S.toIdle(t), S.IdleVerdict.WAIT);
  assert.equal(S.toRunning(t), S.RunVerdict.POLL, 'unwinding continues as ordinary polls');
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
        else if (op === 'run') { if (S.toRunning(t) !== S.RunVerdict.SKIP) running = true; }
        else if (op === 'idle') { if (running) { S.toIdle(t); running = false; } }
        else if (op === 'cancel') S.toCancelled(t);
        else if (op === 'join') S.toJoinInterest(t);
        else if (op === 'unjoin') S.dropJoinInterest(t);
        else if (running && !complete) { S.toComplete(t); complete = true; }
        assert.equal(G.stageOf(t.state), stage);
        if (S.isComplete(before)) {
          assert.ok(S.isComplete(t.state));
          assert.equal(t.state & ~S.Lifecycle.JOIN_INTEREST & ~S.Lifecycle.RUNNING, before & ~S.Lifecycle.JOIN_INTEREST & ~S.Lifecycle.RUNNING);
        }
      }
    }),
  );
});
