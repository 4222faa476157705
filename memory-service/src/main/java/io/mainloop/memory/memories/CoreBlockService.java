package io.mainloop.memory.memories;

import io.mainloop.memory.config.MemoryConfig;
import io.mainloop.memory.config.TimeSource;
import io.mainloop.memory.repository.CoreBlockRepository;
import io.mainloop.memory.repository.CoreBlockRepository.CoreBlock;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.util.List;

/**
 * The core blocks, always in context: {@code persona} (who the assistant is) and {@code owner}
 * (who the owner is, their preferences), each at most {@code mainloop.memory.core-block-max-chars}.
 */
@ApplicationScoped
public class CoreBlockService {

    /** The block names. */
    public static final List<String> NAMES = List.of("persona", "owner");

    @Inject
    CoreBlockRepository blocks;

    @Inject
    MemoryConfig config;

    @Inject
    TimeSource time;

    /**
     * The block (empty text if never written).
     *
     * @throws MemoryRequestException 404 for a name other than {@code persona} or {@code owner}
     */
    @Transactional
    public CoreBlock get(String threadId, String name) {
        requireName(name);
        return blocks.find(threadId, name).orElse(new CoreBlock(name, "", null));
    }

    /**
     * Writes the block.
     *
     * @throws MemoryRequestException 404 for an unknown name, 413 if the text is over the cap
     */
    @Transactional
    public CoreBlock put(String threadId, String name, String text) {
        requireName(name);
        String t = text == null ? "" : text.strip();
        if (t.length() > config.coreBlockMaxChars()) {
            throw new MemoryRequestException(413, "the " + name + " block is " + t.length() + " characters; at most "
                    + config.coreBlockMaxChars());
        }
        return blocks.put(threadId, name, t, time.now());
    }

    /** The cap, characters. */
    public int maxChars() {
        return config.coreBlockMaxChars();
    }

    private static void requireName(String name) {
        if (!NAMES.contains(name)) {
            throw new MemoryRequestException(404, "no core block " + name + "; the blocks are persona and owner");
        }
    }
}
