package io.opsmcp.tools.aws.client;

import io.opsmcp.core.tool.ToolContext;
import java.io.IOException;
import java.util.function.Supplier;
import software.amazon.awssdk.http.ExecutableHttpRequest;
import software.amazon.awssdk.http.HttpExecuteRequest;
import software.amazon.awssdk.http.HttpExecuteResponse;
import software.amazon.awssdk.http.SdkHttpClient;

/**
 * The SDK's HTTP client with every request abortable by the cancellation of the tool call that sends it: while a
 * request is in flight, cancelling the call ({@link ToolContext#cancellation()}) aborts it (the connection is
 * closed, the SDK call fails at once). Interrupting the calling thread is not enough: the SDK notices an interrupt
 * only between attempts, and a blocking socket read ignores it. The cancellation is the one bound to the calling
 * thread ({@link AwsClients#bind}); sync SDK clients send on the calling thread.
 */
final class CancellableHttpClient implements SdkHttpClient {

    private final SdkHttpClient delegate;
    private final Supplier<ToolContext.Cancellation> current;

    CancellableHttpClient(SdkHttpClient delegate, Supplier<ToolContext.Cancellation> current) {
        this.delegate = delegate;
        this.current = current;
    }

    @Override
    public ExecutableHttpRequest prepareRequest(HttpExecuteRequest request) {
        ExecutableHttpRequest prepared = delegate.prepareRequest(request);
        return new ExecutableHttpRequest() {
            @Override
            public HttpExecuteResponse call() throws IOException {
                ToolContext.Cancellation cancellation = current.get();
                if (cancellation.cancelled()) {
                    throw new IOException("the tool call was cancelled; the request was not sent");
                }
                try (AutoCloseable ignored = cancellation.onCancel(prepared::abort)) {
                    return prepared.call();
                } catch (IOException | RuntimeException e) {
                    throw e;
                } catch (Exception e) {
                    // only closing the registration can throw a checked exception other than IOException
                    throw new IllegalStateException(e);
                }
            }

            @Override
            public void abort() {
                prepared.abort();
            }
        };
    }

    @Override
    public String clientName() {
        return delegate.clientName();
    }

    @Override
    public void close() {
        delegate.close();
    }
}
