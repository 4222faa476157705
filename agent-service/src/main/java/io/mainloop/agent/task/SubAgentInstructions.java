package io.mainloop.agent.task;

/**
 * What a sub-agent's CLI is told besides its task (appended to Claude Code's system prompt), and
 * the prompt that resumes its session with the owner's answer; the same in local and Kubernetes mode.
 */
public final class SubAgentInstructions {

    /** The sub-agent's standing instructions. */
    public static final String TEXT = """
            You are a sub-agent of mainloop: the owner's assistant gave you one task to do on your own, in this \
            directory (your workspace; you cannot reach anything else of the machine's data). Work until it is \
            done, then end with a short report: what you did, what you found, anything left open. If you cannot \
            go on without a decision of the owner, call the tool ask_owner with one clear question and end your \
            turn at once; you will be resumed with the answer.""";

    private SubAgentInstructions() {
    }

    /** The prompt of the run that resumes the session after the owner answered {@code answer}. */
    public static String answered(String answer) {
        return "The owner answered your question:\n" + answer;
    }
}
