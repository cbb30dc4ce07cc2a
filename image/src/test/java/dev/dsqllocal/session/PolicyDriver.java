package dev.dsqllocal.session;

import dev.dsqllocal.pgwire.BackendMessage;
import dev.dsqllocal.pgwire.FrontendMessage;
import dev.dsqllocal.sql.StatementInfo;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * Drives one {@link SessionPolicy} without a network, the way the gateway's session does: client messages become
 * {@link ClientRequest}s (decoded and classified once by a {@link RequestReader}), PostgreSQL's answers
 * {@link ServerReply}s; the test plays both the client and PostgreSQL.
 */
public final class PolicyDriver implements SessionPolicy.Session {
    private final SessionPolicy policy;
    private final RequestReader reader;
    private final ReplyTracker replies = new ReplyTracker();
    private final String clusterId;
    /** What the policy wrote to the client itself. */
    public final List<BackendMessage> toClient = new ArrayList<>();
    /** What the policy sent PostgreSQL on its own (not in place of a client's request). */
    public final List<FrontendMessage> toServer = new ArrayList<>();

    public PolicyDriver(SessionPolicy policy, UnaryOperator<String> sqlToRun, String clusterId) {
        this.policy = policy;
        this.reader = new RequestReader(sqlToRun);
        this.clusterId = clusterId;
    }

    public PolicyDriver(SessionPolicy.Factory factory, String clusterId) {
        this(factory.create(clusterId, "admin"), factory::sqlToRun, clusterId);
    }

    /** Hands a client message to the policy and returns the request as it decided it. */
    public ClientRequest request(FrontendMessage message) {
        ClientRequest request = reader.read(message);
        policy.onClient(this, request);
        replies.sent(request);
        return request;
    }

    /** The messages PostgreSQL receives for a client message (none when the policy dropped it). */
    public List<FrontendMessage> send(FrontendMessage message) {
        ClientRequest request = request(message);
        return request.forwarded() ? List.of(request.messageToRun()) : request.replacement();
    }

    /** The one message PostgreSQL receives for a client message. */
    public FrontendMessage sendOne(FrontendMessage message) {
        List<FrontendMessage> sent = send(message);
        if (sent.size() != 1) {
            throw new AssertionError("expected one message to PostgreSQL, got " + sent);
        }
        return sent.get(0);
    }

    /** What the client receives for a message from PostgreSQL; null when the policy dropped it. */
    public BackendMessage reply(BackendMessage message) {
        ServerReply reply = new ServerReply(message);
        replies.track(reply);
        policy.onServer(this, reply);
        return reply.dropped() ? null : reply.message();
    }

    public void close() {
        policy.onClose(this);
    }

    @Override
    public String clusterId() {
        return clusterId;
    }

    @Override
    public String user() {
        return "admin";
    }

    @Override
    public void toClient(BackendMessage message) {
        toClient.add(message);
    }

    @Override
    public void sendOwn(SessionPolicy by, FrontendMessage.Query query) {
        replies.sentOwn(by, query);
        toServer.add(query);
    }

    @Override
    public void sendOwn(SessionPolicy by, List<FrontendMessage> messages) {
        replies.sentOwn(by, messages);
        toServer.addAll(messages);
    }

    @Override
    public boolean awaitingReplies() {
        return replies.awaitingReplies();
    }

    @Override
    public List<StatementInfo> statementsInFlight() {
        return replies.statementsInFlight();
    }

    @Override
    public void execute(Runnable task) {
        task.run();
    }

    @Override
    public void sendForClient(SessionPolicy by, List<ClientRequest.Part> parts) {
        replies.sentForClient(by, parts);
        toServer.add(new FrontendMessage.Query(ClientRequest.Part.join(parts)));
    }

    /** The backend's pid the policy sees. */
    public int pid;

    @Override
    public int backendProcessId() {
        return pid;
    }

    /** The policy holds the client's messages ({@link #holdClient}); the test sends none meanwhile. */
    public boolean holding;

    @Override
    public void holdClient() {
        holding = true;
    }

    @Override
    public void resumeClient() {
        holding = false;
    }
}
