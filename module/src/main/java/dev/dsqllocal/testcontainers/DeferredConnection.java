package dev.dsqllocal.testcontainers;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;

/**
 * A {@link Connection} that opens its real connection on first use. Testcontainers' JDBC driver opens the caller's
 * connection before it runs a URL's {@code TC_INITSCRIPT} on a connection of its own; on Aurora DSQL a schema
 * change committed after a session began fails that session's next statement with {@code 40001 ... (OC001)}, so
 * the caller's first query would fail. Opening the caller's connection after the script avoids that.
 */
final class DeferredConnection implements InvocationHandler {

    /** Opens the real connection. */
    interface Opener {
        Connection open() throws SQLException;
    }

    private final Opener opener;

    private Connection real;

    private boolean closed;

    private DeferredConnection(Opener opener) {
        this.opener = opener;
    }

    static Connection of(Opener opener) {
        return (Connection) Proxy.newProxyInstance(
                Connection.class.getClassLoader(), new Class<?>[] {Connection.class}, new DeferredConnection(opener));
    }

    @Override
    public synchronized Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
        switch (method.getName()) {
            case "equals":
                return proxy == args[0];
            case "hashCode":
                return System.identityHashCode(proxy);
            case "toString":
                return real == null ? "DeferredConnection[not opened yet]" : real.toString();
            case "close":
                closed = true;
                if (real != null) {
                    real.close();
                }
                return null;
            case "isClosed":
                if (real == null) {
                    return closed;
                }
                break;
            default:
                break;
        }
        if (real == null) {
            if (closed) {
                throw new SQLException("this connection is closed", "08003");
            }
            real = opener.open();
        }
        try {
            return method.invoke(real, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }
}
