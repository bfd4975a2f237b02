package org.mptcp4j.internal.sys;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The per-user directory is trusted only when it is a directory of this user that no one else can enter or write. */
class UserCacheUnitTest {
    @TempDir
    Path tmp;

    private Path privateDir() throws Exception {
        return tmp.resolve("mptcp4j-" + Files.getAttribute(Path.of("/proc/self"), "unix:uid"));
    }

    private Path withMode(String mode) throws Exception {
        Path dir = Files.createDirectory(privateDir());
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString(mode));
        return dir;
    }

    @Test
    void createsTheDirectoryOwnerOnlyWhenMissing() throws Exception {
        assertEquals(privateDir(), UserCache.directory(tmp));
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(privateDir())));
    }

    @Test
    void trustsAnExistingOwnerOnlyDirectory() throws Exception {
        assertEquals(withMode("rwx------"), UserCache.directory(tmp));
    }

    @Test
    void distrustsADirectoryOthersCanEnter() throws Exception {
        withMode("rwxr-x---");
        assertNull(UserCache.directory(tmp));
    }

    @Test
    void distrustsADirectoryItsOwnerCannotWrite() throws Exception {
        withMode("r-x------");
        assertNull(UserCache.directory(tmp));
    }

    @Test
    void distrustsAFileInItsPlace() throws Exception {
        Files.createFile(privateDir(), PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        assertNull(UserCache.directory(tmp));
    }

    @Test
    void distrustsADirectoryOfAnotherUser() throws Exception {
        assumeTrue(Files.getAttribute(Path.of("/proc/self"), "unix:uid").equals(0), "changing a directory's owner needs root");
        Path dir = withMode("rwx------");
        Files.setAttribute(dir, "unix:uid", 65534);
        assertNull(UserCache.directory(tmp));
    }

    @Test
    void distrustsALinkToAnOwnerOnlyDirectory() throws Exception {
        Path target = Files.createDirectory(tmp.resolve("elsewhere"));
        Files.setPosixFilePermissions(target, PosixFilePermissions.fromString("rwx------"));
        Files.createSymbolicLink(privateDir(), target);
        assertNull(UserCache.directory(tmp));
    }
}
