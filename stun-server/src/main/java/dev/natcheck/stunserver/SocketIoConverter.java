package dev.natcheck.stunserver;

import java.util.Locale;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** {@code --socket-io auto|batched|nio}. */
final class SocketIoConverter implements ITypeConverter<SocketIo> {

    @Override
    public SocketIo convert(String value) {
        try {
            return SocketIo.valueOf(value.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new TypeConversionException("'" + value + "' is not one of auto, batched, nio");
        }
    }
}
