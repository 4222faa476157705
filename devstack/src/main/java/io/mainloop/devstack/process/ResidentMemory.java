package io.mainloop.devstack.process;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/** Resident memory of process trees, read from Linux {@code /proc}. */
public final class ResidentMemory {

    private ResidentMemory() {
    }

    /** Sum of VmRSS over {@code roots} and all their descendants, in KiB (0 off Linux). */
    public static long treeKib(Collection<Long> roots) {
        Set<Long> all = new HashSet<>();
        var pending = new ArrayDeque<>(roots);
        List<long[]> parents = parentTable();
        while (!pending.isEmpty()) {
            long pid = pending.pop();
            if (all.add(pid)) {
                parents.stream().filter(p -> p[1] == pid).forEach(p -> pending.push(p[0]));
            }
        }
        return all.stream().mapToLong(ResidentMemory::rssKib).sum();
    }

    private static List<long[]> parentTable() {
        try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
            return procs.filter(p -> p.getFileName().toString().chars().allMatch(Character::isDigit))
                    .map(p -> {
                        try {
                            String stat = Files.readString(p.resolve("stat"));
                            String[] after = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                            return new long[] {Long.parseLong(p.getFileName().toString()), Long.parseLong(after[1])};
                        } catch (IOException | RuntimeException gone) {
                            return null;
                        }
                    })
                    .filter(java.util.Objects::nonNull).toList();
        } catch (IOException e) {
            return List.of();
        }
    }

    private static long rssKib(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(pid), "status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("\\D", ""));
                }
            }
        } catch (IOException | RuntimeException gone) {
            // exited meanwhile
        }
        return 0;
    }
}
