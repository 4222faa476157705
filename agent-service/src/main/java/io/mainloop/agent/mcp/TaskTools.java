package io.mainloop.agent.mcp;

import io.mainloop.agent.task.TaskEntity;
import io.mainloop.agent.task.TaskRequestException;
import io.mainloop.agent.task.TaskService;
import io.mainloop.agent.task.TaskSpec;
import io.quarkiverse.mcp.server.Tool;
import io.quarkiverse.mcp.server.ToolArg;
import io.quarkiverse.mcp.server.ToolCallException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.List;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * The task tools (MCP, streamable HTTP at {@code /mcp}; the CLI sees them as
 * {@code mcp__tasks__<name>}): for the main thread's assistant {@code spawn_tasks},
 * {@code list_tasks}, {@code get_task}, {@code cancel_task}, {@code answer_task}; for a sub-agent
 * {@code ask_owner}. Each acts for its verified caller only ({@link McpCaller}).
 */
@ApplicationScoped
public class TaskTools {

    /**
     * One task to spawn.
     *
     * @param title a short name
     * @param prompt complete instructions: the sub-agent knows nothing else of the conversation
     * @param model a model alias (haiku, sonnet, opus) or empty for the default
     */
    public record NewTask(String title, String prompt, String model) {
    }

    @Inject
    McpCaller caller;

    @Inject
    TaskService tasks;

    @Tool(name = "spawn_tasks", description = "Hand work to parallel sub-agents (Claude Code, each in its own "
            + "workspace). Use it for work that takes more than a minute or can run side by side, then answer the "
            + "owner at once: results come back into this thread when the tasks end. Each prompt must be complete.")
    public String spawnTasks(@ToolArg(description = "The tasks: each with title, prompt and optionally model")
                             List<NewTask> tasks) {
        String thread = caller.thread();
        return call(() -> {
            if (tasks == null || tasks.isEmpty()) {
                throw new TaskRequestException(400, "give at least one task");
            }
            StringBuilder out = new StringBuilder("Started:\n");
            for (NewTask t : tasks) {
                TaskEntity task = this.tasks.create(thread, new TaskSpec(t.title(), t.prompt(), t.model(), null, null,
                        null, null, null, null, null), "assistant");
                out.append("- ").append(task.id).append(" ").append(task.title).append(" (").append(task.phase)
                        .append(")\n");
            }
            return out.toString().strip();
        });
    }

    @Tool(name = "list_tasks", description = "List this thread's sub-agent tasks, newest first, with their phase.")
    public String listTasks() {
        String thread = caller.thread();
        List<TaskEntity> all = tasks.list(thread);
        if (all.isEmpty()) {
            return "No tasks.";
        }
        StringBuilder out = new StringBuilder();
        all.forEach(t -> out.append("- ").append(t.id).append(" [").append(t.phase).append("] ").append(t.title)
                .append(t.question != null && t.phase.name().equals("NeedsInput") ? " asks: " + t.question : "")
                .append('\n'));
        return out.toString().strip();
    }

    @Tool(name = "get_task", description = "One task in full: its prompt, phase, result or error, question, cost.")
    public String getTask(@ToolArg(description = "The task's id") String id) {
        String thread = caller.thread();
        return call(() -> {
            TaskEntity t = tasks.get(thread, uuid(id));
            return "Task " + t.id + " (" + t.title + "): " + t.phase + ", attempt " + t.attempt
                    + (t.costUsd == null ? "" : ", cost $" + t.costUsd.toPlainString())
                    + "\nPrompt: " + t.prompt
                    + (t.question == null ? "" : "\nQuestion: " + t.question)
                    + (t.result == null ? "" : "\nResult: " + t.result)
                    + (t.error == null ? "" : "\nError: " + t.error);
        });
    }

    @Tool(name = "cancel_task", description = "Stop a task that waits or runs.")
    public String cancelTask(@ToolArg(description = "The task's id") String id) {
        String thread = caller.thread();
        return call(() -> "Task " + id + ": " + tasks.cancel(thread, uuid(id)).phase);
    }

    @Tool(name = "answer_task", description = "Give a task waiting for the owner (NeedsInput) the owner's answer; "
            + "it resumes where it stopped.")
    public String answerTask(@ToolArg(description = "The task's id") String id,
                             @ToolArg(description = "The owner's answer") String answer) {
        String thread = caller.thread();
        return call(() -> "Task " + id + " resumes: " + tasks.answer(thread, uuid(id), answer).phase);
    }

    @Tool(name = "ask_owner", description = "Ask the owner one question you cannot go on without. After calling it, "
            + "end your turn at once: you will be resumed with the answer.")
    public String askOwner(@ToolArg(description = "One clear question") String question) {
        UUID taskId = caller.task();
        return call(() -> {
            if (question == null || question.isBlank()) {
                throw new TaskRequestException(400, "the question must not be empty");
            }
            tasks.ask(taskId, question.strip());
            return "Your question is with the owner. End your turn now; you will be resumed with the answer.";
        });
    }

    private static UUID uuid(String id) {
        try {
            return UUID.fromString(id == null ? "" : id.strip());
        } catch (IllegalArgumentException e) {
            throw new ToolCallException("'" + id + "' is not a task id");
        }
    }

    private static String call(Supplier<String> action) {
        try {
            return action.get();
        } catch (TaskRequestException e) {
            throw new ToolCallException(e.getMessage());
        }
    }
}
