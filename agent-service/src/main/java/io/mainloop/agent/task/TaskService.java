package io.mainloop.agent.task;

import io.mainloop.agent.config.AgentConfig;
import io.mainloop.agent.launcher.TaskLauncher;
import io.mainloop.contracts.TaskEvent;
import io.mainloop.contracts.TaskPhase;
import io.mainloop.contracts.Usage;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * The sub-agent tasks: accepts them (from the assistant's {@code spawn_tasks}, the API, or an
 * AgentTask applied in a cluster), runs at most {@code mainloop.agent.tasks.max-concurrent} at
 * once through the {@link TaskLauncher} of the configured mode (the rest wait as Pending, in the
 * order they came), records what the launcher reports ({@link TaskStatusSink}) and publishes the
 * task events after each commit. A {@code task.finished} that Kafka did not acknowledge is sent
 * again every 5 s. After a restart, Running tasks are re-attached.
 */
@ApplicationScoped
public class TaskService implements TaskStatusSink, TaskAdoption {

    /** The advisory lock key that serializes claiming across replicas ("mlTaskCl" as a number). */
    static final long CLAIM_LOCK = 0x6d6c5461736b436cL;

    private static final Logger LOG = Logger.getLogger(TaskService.class);

    @Inject
    TaskRepository tasks;

    @Inject
    AgentConfig config;

    @Inject
    TaskEventPublisher events;

    @Inject
    Instance<TaskLauncher> launchers;

    @Inject
    TaskService self;

    private final Object dispatching = new Object();

    // --- requests ---

    /**
     * Accepts a task for {@code threadId} and starts it if a slot is free.
     *
     * @param source {@code assistant}, {@code api} or {@code kubernetes}
     * @throws TaskRequestException 400 on a bad spec
     */
    public TaskEntity create(String threadId, TaskSpec spec, String source) {
        TaskEntity task = self.insert(threadId, spec, source, null);
        publish(new TaskEvent.TaskCreated(TaskEvent.eventId(task.id, 0, "created"), Instant.now(),
                TaskEvent.SCHEMA_VERSION, task.threadId, task.id, task.title, task.model, task.source));
        dispatch();
        return self.get(threadId, task.id);
    }

    /**
     * Accepts the task of a schedule whose target is a task (its firing: {@code mainloop.schedule.fired}),
     * once per firing: the task's id is derived from the firing's, so a redelivered firing creates none.
     *
     * @return the task, or null if this firing's task exists already
     * @throws TaskRequestException 400 on a bad spec
     */
    public TaskEntity createScheduled(io.mainloop.contracts.ScheduleFired fired) {
        String title = fired.title() == null || fired.title().isBlank() ? "Scheduled task" : fired.title();
        TaskEntity task = self.insertOnce(io.mainloop.contracts.EventIds.named("scheduled-task", fired.firingId()),
                fired.threadId(), new TaskSpec(title, fired.prompt(), fired.model(), null, null, null, null, null, null, null),
                "schedule");
        if (task == null) {
            return null;
        }
        publish(new TaskEvent.TaskCreated(TaskEvent.eventId(task.id, 0, "created"), Instant.now(),
                TaskEvent.SCHEMA_VERSION, task.threadId, task.id, task.title, task.model, task.source));
        dispatch();
        return task;
    }

    /** Stores a new Pending task under {@code id} unless one has it; null if one has. */
    @Transactional
    TaskEntity insertOnce(UUID id, String threadId, TaskSpec spec, String source) {
        return tasks.findById(id) != null ? null : insert(id, threadId, spec, source, null);
    }

    /** Stores a new Pending task; {@code resourceName} names its AgentTask when it came from one. */
    @Transactional
    public TaskEntity insert(String threadId, TaskSpec spec, String source, String resourceName) {
        return insert(UUID.randomUUID(), threadId, spec, source, resourceName);
    }

    private TaskEntity insert(UUID id, String threadId, TaskSpec spec, String source, String resourceName) {
        TaskEntity task = new TaskEntity();
        TaskSpecs.apply(spec, config.tasks(), task);
        task.id = id;
        task.threadId = threadId;
        task.source = source;
        task.phase = TaskPhase.Pending;
        task.createdAt = Instant.now();
        task.resourceName = resourceName;
        tasks.persist(task);
        LOG.infof("task %s (%s) accepted for thread %s from %s", task.id, task.title, threadId, source);
        return task;
    }

    /**
     * Records a task for an AgentTask an operator applied ({@code kubectl apply}): Running at
     * once, attempt 1 (its Job is the reconciler's, not a slot of this service's queue), or the
     * id already recorded for that resource.
     */
    @Override
    public UUID adopt(String resourceName, String threadId, TaskSpec spec) {
        UUID existing = self.byResource(resourceName);
        if (existing != null) {
            return existing;
        }
        TaskEntity task = self.insertAdopted(resourceName, threadId, spec);
        publish(new TaskEvent.TaskCreated(TaskEvent.eventId(task.id, 0, "created"), Instant.now(),
                TaskEvent.SCHEMA_VERSION, task.threadId, task.id, task.title, task.model, task.source));
        return task.id;
    }

    @Transactional
    UUID byResource(String resourceName) {
        return tasks.find("resourceName", resourceName).firstResultOptional().map(t -> t.id).orElse(null);
    }

    @Transactional
    TaskEntity insertAdopted(String resourceName, String threadId, TaskSpec spec) {
        TaskEntity task = insert(threadId, spec, "kubernetes", resourceName);
        task.phase = TaskPhase.Running;
        task.attempt = 1;
        task.sessionId = UUID.randomUUID();
        task.startedAt = Instant.now();
        return task;
    }

    /** The thread's tasks, newest first (at most 200). */
    @Transactional
    public List<TaskEntity> list(String threadId) {
        return tasks.ofThread(threadId, 200);
    }

    /**
     * One task of the thread.
     *
     * @throws TaskRequestException 404 if the thread has no such task
     */
    @Transactional
    public TaskEntity get(String threadId, UUID id) {
        TaskEntity task = id == null ? null : tasks.find(threadId, id);
        if (task == null) {
            throw new TaskRequestException(404, "no task " + id);
        }
        return task;
    }

    /**
     * Cancels a task: a waiting one at once, a running one by stopping its CLI or Job. A task that
     * asked the owner (NeedsInput, or answered and waiting for a slot) ends at once too, and the
     * launcher still stops what its run left: the asking CLI if it is still ending its turn, or
     * its AgentTask, which would otherwise wait in NeedsInput.
     *
     * @throws TaskRequestException 404 unknown, 409 if it has ended
     */
    public TaskEntity cancel(String threadId, UUID id) {
        TaskEntity task = self.requestCancel(threadId, id);
        if (task.phase == TaskPhase.Cancelled) {
            publishEnd(task);
            if (task.sessionId != null) {
                try {
                    launcher().cancel(task); // its report of the end is ignored: the task has ended
                } catch (RuntimeException e) {
                    LOG.warnf("task %s: cancelled, but what its asking run left could not be stopped: %s", task.id,
                            e.getMessage());
                }
            }
        } else {
            launcher().cancel(task);
        }
        return self.get(threadId, id);
    }

    @Transactional
    TaskEntity requestCancel(String threadId, UUID id) {
        TaskEntity task = lockOf(threadId, id);
        if (task.phase.finished()) {
            throw new TaskRequestException(409, "task " + id + " has ended (" + task.phase + ")");
        }
        if (task.phase == TaskPhase.Pending || task.phase == TaskPhase.NeedsInput) {
            end(task, TaskPhase.Cancelled, null, "Cancelled.");
        } else {
            task.cancelRequested = true;
        }
        return task;
    }

    /**
     * Runs a failed or cancelled task again (same id, a fresh session, attempt + 1).
     *
     * @throws TaskRequestException 404 unknown, 409 in another phase
     */
    public TaskEntity retry(String threadId, UUID id) {
        self.requeue(threadId, id);
        dispatch();
        return self.get(threadId, id);
    }

    @Transactional
    void requeue(String threadId, UUID id) {
        TaskEntity task = lockOf(threadId, id);
        if (task.phase != TaskPhase.Failed && task.phase != TaskPhase.Cancelled) {
            throw new TaskRequestException(409, "only a failed or cancelled task can be retried; task " + id + " is "
                    + task.phase);
        }
        task.phase = TaskPhase.Pending;
        task.result = null;
        task.error = null;
        task.answer = null;
        task.sessionId = null;
        task.completedAt = null;
        task.seen = false;
        task.cancelRequested = false;
        task.endPublished = false;
    }

    /**
     * Answers a task's question: it resumes its Claude Code session with the answer.
     *
     * @throws TaskRequestException 404 unknown, 409 if it asks nothing, 400 on an empty answer
     */
    public TaskEntity answer(String threadId, UUID id, String text) {
        self.recordAnswer(threadId, id, text);
        dispatch();
        return self.get(threadId, id);
    }

    @Transactional
    void recordAnswer(String threadId, UUID id, String text) {
        if (text == null || text.isBlank()) {
            throw new TaskRequestException(400, "the answer must not be empty");
        }
        TaskEntity task = lockOf(threadId, id);
        if (task.phase != TaskPhase.NeedsInput) {
            throw new TaskRequestException(409, "task " + id + " asks nothing now (" + task.phase + ")");
        }
        task.answer = text.strip();
        task.phase = TaskPhase.Pending;
    }

    /** What needs the owner: open questions, failures and results not yet seen, newest first. */
    @Transactional
    public List<TaskEntity> inbox(String threadId) {
        return tasks.ofThread(threadId, 500).stream().filter(t -> t.phase == TaskPhase.NeedsInput
                || (!t.seen && (t.phase == TaskPhase.Failed || t.phase == TaskPhase.Succeeded))).toList();
    }

    /**
     * Marks a task's end as seen (it leaves the inbox).
     *
     * @throws TaskRequestException 404 unknown
     */
    @Transactional
    public void seen(String threadId, UUID id) {
        lockOf(threadId, id).seen = true;
    }

    /**
     * A running task asks the owner something (its {@code ask_owner} tool): it goes to NeedsInput.
     *
     * @throws TaskRequestException 404 if there is no such task, 409 if it is not running
     */
    public void ask(UUID taskId, String question) {
        TaskEntity task = self.current(taskId);
        if (task.phase != TaskPhase.Running) {
            throw new TaskRequestException(409, "task " + taskId + " is not running");
        }
        needsInput(taskId, task.attempt, question);
    }

    @Transactional
    TaskEntity current(UUID taskId) {
        TaskEntity task = tasks.findById(taskId);
        if (task == null) {
            throw new TaskRequestException(404, "no task " + taskId);
        }
        return task;
    }

    // --- dispatch ---

    /** Starts waiting tasks while slots are free (called after every change, and every 5 s). */
    public void dispatch() {
        synchronized (dispatching) {
            List<TaskEntity> claimed = self.claimSlots();
            for (TaskEntity task : claimed) {
                try {
                    launcher().start(task);
                } catch (RuntimeException e) {
                    LOG.errorf(e, "task %s could not be started", task.id);
                    finished(task.id, task.attempt, TaskPhase.Failed, null, "It could not be started: " + e.getMessage(),
                            Usage.NONE, null, 0);
                }
            }
        }
    }

    /**
     * Marks the oldest Pending tasks Running, as many as slots are free; returns them (detached).
     * Holds a transaction-scoped PostgreSQL advisory lock ({@code pg_advisory_xact_lock}) while it
     * counts and claims, so replicas of agent-service claim one after the other and together never
     * run more than the limit.
     */
    @Transactional
    @SuppressWarnings("unchecked")
    public List<TaskEntity> claimSlots() {
        tasks.getEntityManager().createNativeQuery("SELECT pg_advisory_xact_lock(?1)")
                .setParameter(1, CLAIM_LOCK).getSingleResult();
        long free = config.tasks().concurrencyLimit() - tasks.running();
        if (free <= 0) {
            return List.of();
        }
        List<UUID> ids = tasks.getEntityManager().createNativeQuery(
                        "SELECT id FROM task WHERE phase = 'Pending' ORDER BY created_at, id LIMIT ?1 FOR UPDATE SKIP LOCKED")
                .setParameter(1, free).getResultList();
        List<TaskEntity> claimed = new ArrayList<>();
        for (UUID id : ids) {
            TaskEntity task = tasks.findById(id);
            boolean resume = task.answer != null && task.sessionId != null;
            task.phase = TaskPhase.Running;
            task.attempt++;
            task.sessionId = resume ? task.sessionId : UUID.randomUUID();
            task.startedAt = task.startedAt == null ? Instant.now() : task.startedAt;
            task.pid = null;
            claimed.add(task);
        }
        tasks.flush();
        claimed.forEach(t -> tasks.getEntityManager().detach(t));
        return claimed;
    }

    // --- what the launcher reports ---

    @Override
    public void started(UUID taskId, int attempt, Long pid) {
        TaskEntity task = self.recordStarted(taskId, attempt, pid);
        if (task != null) {
            publish(new TaskEvent.TaskStarted(TaskEvent.eventId(taskId, attempt, "started"), Instant.now(),
                    TaskEvent.SCHEMA_VERSION, task.threadId, taskId, task.title, attempt));
        }
    }

    @Transactional
    TaskEntity recordStarted(UUID taskId, int attempt, Long pid) {
        TaskEntity task = tasks.lock(taskId);
        if (task == null || task.attempt != attempt || task.phase != TaskPhase.Running) {
            return null;
        }
        task.pid = pid;
        task.answer = null; // delivered to the resumed session
        return task;
    }

    @Override
    public void needsInput(UUID taskId, int attempt, String question) {
        TaskEntity task = self.recordQuestion(taskId, attempt, question);
        if (task != null) {
            publish(new TaskEvent.TaskNeedsInput(TaskEvent.eventId(taskId, attempt, "needs-input"), Instant.now(),
                    TaskEvent.SCHEMA_VERSION, task.threadId, taskId, task.title, question));
        }
    }

    @Transactional
    TaskEntity recordQuestion(UUID taskId, int attempt, String question) {
        TaskEntity task = tasks.lock(taskId);
        if (task == null || task.attempt != attempt || task.phase != TaskPhase.Running) {
            return null;
        }
        task.phase = TaskPhase.NeedsInput;
        task.question = question;
        return task;
    }

    @Override
    public void finished(UUID taskId, int attempt, TaskPhase phase, String result, String error, Usage usage,
                         BigDecimal costUsd, long durationMs) {
        TaskEntity task = self.recordEnd(taskId, attempt, phase, result, error, usage, costUsd, durationMs);
        if (task != null && task.phase.finished()) {
            publishEnd(task);
        }
        dispatch();
    }

    @Transactional
    TaskEntity recordEnd(UUID taskId, int attempt, TaskPhase phase, String result, String error, Usage usage,
                         BigDecimal costUsd, long durationMs) {
        TaskEntity task = tasks.lock(taskId);
        if (task == null || task.attempt != attempt || task.phase.finished()) {
            return null; // another attempt's report, or one repeated
        }
        if (task.phase == TaskPhase.Pending && task.answer == null) {
            return null; // retried after this run was cancelled or failed: the retry is not claimed yet
        }
        Usage u = usage == null ? Usage.NONE : usage;
        task.inputTokens = add(task.inputTokens, u.inputTokens() + u.cacheReadInputTokens() + u.cacheCreationInputTokens());
        task.outputTokens = add(task.outputTokens, u.outputTokens());
        task.costUsd = costUsd == null ? task.costUsd : task.costUsd == null ? costUsd : task.costUsd.add(costUsd);
        task.durationMs = add(task.durationMs, durationMs);
        task.pid = null;
        boolean answered = task.phase == TaskPhase.Pending && task.answer != null;
        if ((task.phase == TaskPhase.NeedsInput || answered) && phase == TaskPhase.Succeeded) {
            // it ended its run after asking: it waits for the answer, or (the owner answered before this
            // run had ended) for a slot to resume its session with it
            return task;
        }
        TaskPhase ending = task.cancelRequested && phase != TaskPhase.Succeeded ? TaskPhase.Cancelled : phase;
        end(task, ending, result, ending == TaskPhase.Cancelled ? "Cancelled." : error);
        return task;
    }

    private void end(TaskEntity task, TaskPhase phase, String result, String error) {
        task.phase = phase;
        task.result = result;
        task.error = error;
        task.completedAt = Instant.now();
        task.endPublished = false;
        LOG.infof("task %s %s", task.id, phase);
    }

    // --- publishing ---

    private void publishEnd(TaskEntity task) {
        Usage usage = new Usage(orZero(task.inputTokens), orZero(task.outputTokens), 0, 0);
        try {
            events.send(new TaskEvent.TaskFinished(TaskEvent.eventId(task.id, task.attempt, "finished"), Instant.now(),
                    TaskEvent.SCHEMA_VERSION, task.threadId, task.id, task.title, task.attempt, task.phase, task.result,
                    task.error, usage, task.costUsd, orZero(task.durationMs)));
            self.markEndPublished(task.id, task.attempt);
        } catch (RuntimeException e) {
            LOG.warnf("task.finished of %s not published yet (sent again within 5 s): %s", task.id, e.getMessage());
        }
    }

    @Transactional
    void markEndPublished(UUID taskId, int attempt) {
        TaskEntity task = tasks.findById(taskId);
        if (task != null && task.attempt == attempt) {
            task.endPublished = true;
        }
    }

    private void publish(TaskEvent event) {
        try {
            events.send(event);
        } catch (RuntimeException e) {
            LOG.warnf("%s of task %s not published: %s", event.getClass().getSimpleName(), event.taskId(), e.getMessage());
        }
    }

    /** Sends the ends Kafka did not acknowledge, and starts what waits. */
    @Scheduled(every = "5s", delayed = "5s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void sweep() {
        try {
            for (TaskEntity task : self.unpublishedEnds()) {
                publishEnd(task);
            }
            dispatch();
        } catch (RuntimeException e) {
            LOG.debugf("task sweep skipped: %s", e.getMessage());
        }
    }

    @Transactional
    List<TaskEntity> unpublishedEnds() {
        List<TaskEntity> ends = tasks.endsToPublish();
        ends.forEach(t -> tasks.getEntityManager().detach(t));
        return ends;
    }

    /** After a restart: re-attaches the tasks that were running. */
    void onStart(@Observes StartupEvent start) {
        Thread.ofVirtual().name("task-reattach").start(() -> {
            try {
                for (TaskEntity task : self.runningTasks()) {
                    LOG.infof("task %s was running before the restart: re-attaching", task.id);
                    launcher().reattach(task);
                }
            } catch (RuntimeException e) {
                LOG.warnf("re-attaching tasks failed (the sweep starts what waits): %s", e.getMessage());
            }
        });
    }

    @Transactional
    List<TaskEntity> runningTasks() {
        List<TaskEntity> running = tasks.inPhase(TaskPhase.Running, 1000);
        running.forEach(t -> tasks.getEntityManager().detach(t));
        return running;
    }

    private TaskLauncher launcher() {
        return launchers.get();
    }

    private TaskEntity lockOf(String threadId, UUID id) {
        TaskEntity task = id == null ? null : tasks.lock(id);
        if (task == null || !task.threadId.equals(threadId)) {
            throw new TaskRequestException(404, "no task " + id);
        }
        return task;
    }

    private static long add(Long a, long b) {
        return (a == null ? 0 : a) + b;
    }

    private static long orZero(Long v) {
        return v == null ? 0 : v;
    }
}
