package dev.natcheck.linux;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;

/**
 * The layouts {@code recvmsg}, {@code recvmmsg} and {@code sendmmsg} read and write: {@code struct
 * msghdr}, {@code struct mmsghdr}, {@code struct iovec} and the {@code struct cmsghdr} of control
 * messages, with the offsets of their fields (64-bit Linux).
 */
public final class Msghdr {

    /** {@code struct iovec}. */
    public static final StructLayout IOVEC = MemoryLayout.structLayout(
            ValueLayout.ADDRESS.withName("iov_base"), ValueLayout.JAVA_LONG.withName("iov_len"));

    /** {@code struct msghdr}. */
    public static final StructLayout MSGHDR = MemoryLayout.structLayout(
            ValueLayout.ADDRESS.withName("msg_name"),
            ValueLayout.JAVA_INT.withName("msg_namelen"),
            MemoryLayout.paddingLayout(4),
            ValueLayout.ADDRESS.withName("msg_iov"),
            ValueLayout.JAVA_LONG.withName("msg_iovlen"),
            ValueLayout.ADDRESS.withName("msg_control"),
            ValueLayout.JAVA_LONG.withName("msg_controllen"),
            ValueLayout.JAVA_INT.withName("msg_flags"),
            MemoryLayout.paddingLayout(4));

    /** {@code struct mmsghdr}: a {@code struct msghdr} and the length the kernel moved. */
    public static final StructLayout MMSGHDR = MemoryLayout.structLayout(
            MSGHDR.withName("msg_hdr"), ValueLayout.JAVA_INT.withName("msg_len"), MemoryLayout.paddingLayout(4));

    public static final long NAME = offset("msg_name");
    public static final long NAMELEN = offset("msg_namelen");
    public static final long IOV = offset("msg_iov");
    public static final long IOVLEN = offset("msg_iovlen");
    public static final long CONTROL = offset("msg_control");
    public static final long CONTROLLEN = offset("msg_controllen");
    public static final long FLAGS = offset("msg_flags");
    /** {@code msg_len} of a {@code struct mmsghdr}: the bytes received or sent. */
    public static final long LEN = MMSGHDR.byteOffset(MemoryLayout.PathElement.groupElement("msg_len"));

    public static final long IOV_BASE = IOVEC.byteOffset(MemoryLayout.PathElement.groupElement("iov_base"));
    public static final long IOV_LEN = IOVEC.byteOffset(MemoryLayout.PathElement.groupElement("iov_len"));

    /**
     * {@code sizeof(struct cmsghdr)}: {@code size_t cmsg_len; int cmsg_level; int cmsg_type;},
     * after which (aligned to 8, {@code CMSG_DATA}) the data starts.
     */
    public static final int CMSG_HEADER = 16;
    /** Offsets in {@code struct cmsghdr}. */
    public static final int CMSG_LEN = 0;

    public static final int CMSG_LEVEL = 8;
    public static final int CMSG_TYPE = 12;

    private Msghdr() {}

    /** {@code CMSG_ALIGN}: control messages start on 8-byte boundaries. */
    public static long cmsgAlign(long length) {
        return (length + 7) & ~7L;
    }

    private static long offset(String field) {
        return MSGHDR.byteOffset(MemoryLayout.PathElement.groupElement(field));
    }
}
