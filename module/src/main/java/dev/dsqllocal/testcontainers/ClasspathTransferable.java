package dev.dsqllocal.testcontainers;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.testcontainers.images.builder.Transferable;

/**
 * A classpath resource streamed into the tar archive Testcontainers sends to Docker as a build context, instead of
 * being read into memory first ({@link Transferable}'s default) or extracted to a temporary file (MountableFile):
 * the context's server jar and PostgreSQL archives are tens of megabytes.
 */
final class ClasspathTransferable implements Transferable {
    private final ClassLoader loader;
    private final String resource;
    private final long size;
    private final int fileMode;

    ClasspathTransferable(ClassLoader loader, String resource, long size, int fileMode) {
        this.loader = loader;
        this.resource = resource;
        this.size = size;
        this.fileMode = fileMode;
    }

    @Override
    public long getSize() {
        return size;
    }

    @Override
    public int getFileMode() {
        return fileMode;
    }

    @Override
    public String getDescription() {
        return "classpath:" + resource;
    }

    @Override
    public void transferTo(TarArchiveOutputStream tar, String destination) {
        TarArchiveEntry entry = new TarArchiveEntry(destination);
        entry.setSize(size);
        entry.setMode(fileMode);
        try (InputStream in = loader.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IOException(resource + " is not on the classpath");
            }
            tar.putArchiveEntry(entry);
            long copied = in.transferTo(tar);
            if (copied != size) {
                throw new IOException(resource + " has " + copied + " bytes, not the " + size + " listed");
            }
            tar.closeArchiveEntry();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot send " + getDescription() + " to Docker", e);
        }
    }
}
