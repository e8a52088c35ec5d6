/**
 * Machinery shared by `JoinSet` and `scope`: a set of tasks, each watched by an entry that is the
 * task's join waker. When a task finishes its entry moves, in O(1), from the running list to the
 * finished list (completion order), and the group's owner is told.
 * @module
 */
import type { Context, Waker } from '../future/future.js';
import { WakerBase } from '../future/waker.js';
import type { Task } from '../runtime/task/task.js';

/** @internal Told when a member task finished. */
export interface GroupOwner {
  memberFinished(): void;
}

const RUNNING_LIST = 0;
const DONE_LIST = 1;
const NO_LIST = 2;

/** @internal One member task; it is also the Context/Waker the task's handle is polled with. */
export class GroupEntry extends WakerBase implements Context {
  prev: GroupEntry | null = null;
  next: GroupEntry | null = null;
  where = RUNNING_LIST;
  constructor(
    public group: TaskGroup | null,
    readonly task: Task<unknown>,
  ) {
    super();
  }

  get waker(): Waker {
    return this;
  }
  wake(): void {
    const g = this.group;
    if (g !== null && this.where === RUNNING_LIST) g.moveToDone(this);
  }

  /** The task failed (its body threw). */
  failed(): boolean {
    return this.task.failed();
  }
}

/** @internal */
export class TaskGroup {
  runningHead: GroupEntry | null = null;
  doneHead: GroupEntry | null = null;
  doneTail: GroupEntry | null = null;
  running = 0;
  done = 0;

  constructor(private readonly owner: GroupOwner) {}

  get size(): number {
    return this.running + this.done;
  }

  /** Adds `task` and registers the entry as its join waker (marking join interest). */
  add(task: Task<unknown>): GroupEntry {
    const e = new GroupEntry(this, task);
    const h = this.runningHead;
    e.next = h;
    if (h !== null) h.prev = e;
    this.runningHead = e;
    this.running++;
    if (task.markJoinInterest()) {
      this.moveToDone(e);
    } else {
      // Registers `e` as joiner; the handle is pending, so this cannot throw.
      task.poll(e);
    }
    return e;
  }

  /** @internal called by the entry's wake. */
  moveToDone(e: GroupEntry): void {
    // unlink from running
    if (e.prev !== null) e.prev.next = e.next;
    else this.runningHead = e.next;
    if (e.next !== null) e.next.prev = e.prev;
    this.running--;
    // append to done
    e.where = DONE_LIST;
    e.next = null;
    e.prev = this.doneTail;
    if (this.doneTail !== null) this.doneTail.next = e;
    else this.doneHead = e;
    this.doneTail = e;
    this.done++;
    this.owner.memberFinished();
  }

  /** Removes and returns the earliest finished entry, or null. */
  popDone(): GroupEntry | null {
    const e = this.doneHead;
    if (e === null) return null;
    this.doneHead = e.next;
    if (e.next !== null) e.next.prev = null;
    else this.doneTail = null;
    e.next = null;
    e.where = NO_LIST;
    e.group = null;
    this.done--;
    return e;
  }

  /** Aborts every running task (they stay members until they finished). */
  abortAll(): void {
    for (let e = this.runningHead; e !== null; e = e.next) e.task.abort();
  }

  /** Forgets every member; running tasks keep running, their failures are reported as unhandled. */
  detachAll(): void {
    for (let e = this.runningHead; e !== null; ) {
      const n = e.next;
      e.group = null;
      e.where = NO_LIST;
      e.prev = e.next = null;
      e.task.dropJoinInterest();
      e = n;
    }
    for (let e = this.doneHead; e !== null; ) {
      const n = e.next;
      e.group = null;
      e.where = NO_LIST;
      e.prev = e.next = null;
      e = n;
    }
    this.runningHead = this.doneHead = this.doneTail = null;
    this.running = this.done = 0;
  }
}
