package io.sluice.server;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.FullHttpMessage;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server's HTTP/1.1 transport, on Netty event loops (epoll where Netty's native library loads,
 * else NIO). Each connection belongs to one event-loop thread, which decodes its requests, reads
 * each body whole (up to the size limit), hands the request to the {@link Application} and writes
 * the reply when it is ready, replies in request order per connection.
 *
 * <p>Why event loops and not a servlet container: a BM25 search costs about 0.1 ms of CPU, and with
 * Javalin on Jetty the HTTP stack around it cost about three times that (a thread per connection,
 * hand-offs between them, the scheduler slicing 50 of them on 2 cores); on this machine Netty
 * answered a trivial GET about 4 times as fast as Jetty did. Here an answer that is ready at once
 * (documents, health, metrics) is decoded, computed and written by one thread, and work that
 * waits (searches on the pool or the micro-batcher, reloads) completes the reply from another
 * thread; the write then goes back to the connection's own loop.
 *
 * <p>Refused by the transport itself, through {@link Application#refuse}: malformed HTTP (400, then
 * the connection closes) and bodies over the limit (413; a declared or streamed body is read and
 * discarded so the connection can go on). Connections idle for {@code idleSeconds} are closed.
 */
final class HttpTransport implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(HttpTransport.class);

  /** What the transport serves. Its methods are called on event-loop threads. */
  interface Application {

    /**
     * Answers a request. Work that takes long or waits must complete the future from another
     * thread rather than block the loop. The future must not fail: errors are replies.
     */
    CompletableFuture<Reply> handle(Request request);

    /** The reply for a request the transport refuses itself (malformed, body too large). */
    Reply refuse(int status, String code, String message);

    /** Told about every reply written, with the time since its request was read. */
    void answered(Request request, Reply reply, long nanos);
  }

  private final EventLoopGroup loops;
  private final Channel listener;

  /**
   * Binds and starts listening.
   *
   * @param threads event-loop threads
   * @param maxBodyBytes largest request body read (larger gets 413)
   * @param idleSeconds a connection with no traffic for this long is closed
   */
  HttpTransport(
      String host,
      int port,
      int threads,
      long maxBodyBytes,
      int idleSeconds,
      Application app) {
    boolean epoll = Epoll.isAvailable();
    this.loops =
        new MultiThreadIoEventLoopGroup(
            threads,
            new DefaultThreadFactory("sluice-http", true),
            epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory());
    Class<? extends ServerChannel> type =
        epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
    int limit = (int) Math.min(Integer.MAX_VALUE, maxBodyBytes);
    try {
      this.listener =
          new ServerBootstrap()
              .group(loops)
              .channel(type)
              .childOption(ChannelOption.TCP_NODELAY, true)
              .childHandler(
                  new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                      ch.pipeline()
                          .addLast(new IdleStateHandler(0, 0, idleSeconds, TimeUnit.SECONDS))
                          .addLast(new HttpServerCodec())
                          .addLast(new BodyLimit(limit, app))
                          .addLast(new Exchanges(app));
                    }
                  })
              .bind(host, port)
              .syncUninterruptibly()
              .channel();
    } catch (RuntimeException e) {
      loops.shutdownGracefully(0, 0, TimeUnit.SECONDS);
      throw e;
    }
    LOG.info(
        "listening on {} ({} event loops, {})",
        listener.localAddress(),
        threads,
        epoll ? "epoll" : "nio");
  }

  int port() {
    return ((InetSocketAddress) listener.localAddress()).getPort();
  }

  /** Stops listening, lets written replies go out, and stops the event loops. */
  @Override
  public void close() {
    listener.close().syncUninterruptibly();
    loops.shutdownGracefully(0, 5, TimeUnit.SECONDS).syncUninterruptibly();
  }

  private static InetAddress remote(Channel ch) {
    SocketAddress a = ch.remoteAddress();
    return a instanceof InetSocketAddress s ? s.getAddress() : null;
  }

  private static void write(ChannelHandlerContext ctx, Reply r, boolean keepAlive) {
    FullHttpResponse resp =
        new DefaultFullHttpResponse(
            HttpVersion.HTTP_1_1,
            HttpResponseStatus.valueOf(r.status()),
            Unpooled.wrappedBuffer(r.body()));
    resp.headers()
        .set(HttpHeaderNames.CONTENT_TYPE, r.contentType())
        .setInt(HttpHeaderNames.CONTENT_LENGTH, r.body().length);
    for (Map.Entry<String, String> h : r.headers().entrySet()) {
      resp.headers().set(h.getKey(), h.getValue());
    }
    HttpUtil.setKeepAlive(resp, keepAlive);
    ChannelFutureListener after =
        keepAlive ? ChannelFutureListener.CLOSE_ON_FAILURE : ChannelFutureListener.CLOSE;
    ctx.writeAndFlush(resp).addListener(after);
  }

  /**
   * Reads bodies whole up to the limit. Over it: answers 413 with the application's error body
   * (not Netty's bare one), and either keeps the connection, discarding the rest of the body, or
   * closes it when the client will not send another request on it.
   */
  private static final class BodyLimit extends HttpObjectAggregator {
    private final Application app;

    BodyLimit(int maxBytes, Application app) {
      super(maxBytes);
      this.app = app;
    }

    @Override
    protected void handleOversizedMessage(ChannelHandlerContext ctx, HttpMessage oversized) {
      if (!(oversized instanceof HttpRequest req)) {
        ctx.close();
        return;
      }
      long declared = HttpUtil.getContentLength(req, -1L);
      Reply r =
          app.refuse(
              413,
              "body_too_large",
              "the request body is limited to "
                  + maxContentLength()
                  + " bytes; got "
                  + (declared >= 0 ? declared + " bytes" : "more than that"));
      // As Netty's own aggregator: a client that already sent a whole message, or will not keep
      // the connection, is closed on; otherwise the rest of this body is read and dropped.
      boolean keep =
          !(oversized instanceof FullHttpMessage)
              && (HttpUtil.is100ContinueExpected(req) || HttpUtil.isKeepAlive(req));
      // Answered by the next handler, in its turn behind replies still pending on this connection.
      Request request =
          new Request(
              req.method().name(), req.uri(), req.headers(), new byte[0], remote(ctx.channel()));
      ctx.fireChannelRead(new Refused(request, r, keep));
    }
  }

  /** A request the transport answers itself, passed on to be answered in its turn. */
  private record Refused(Request request, Reply reply, boolean keepAlive) {}

  /** The requests of one connection, answered in order. Not shared between connections. */
  private static final class Exchanges extends ChannelInboundHandlerAdapter {
    private final Application app;
    // Completes when the previous request's reply is written: a pipelining client gets its
    // replies in request order even when a later one is ready first.
    private CompletableFuture<Void> previous = CompletableFuture.completedFuture(null);

    Exchanges(Application app) {
      this.app = app;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      long start = System.nanoTime();
      if (msg instanceof Refused r) {
        CompletableFuture<Reply> reply = CompletableFuture.completedFuture(r.reply());
        answer(ctx, r.request(), reply, r.keepAlive(), start);
      } else if (msg instanceof FullHttpRequest req) {
        try {
          read(ctx, req, start);
        } finally {
          req.release();
        }
      } else {
        ctx.fireChannelRead(msg);
      }
    }

    private void read(ChannelHandlerContext ctx, FullHttpRequest req, long start) {
      if (req.decoderResult().isFailure()) {
        Request request =
            new Request(
                req.method().name(), req.uri(), new DefaultHttpHeaders(), new byte[0], null);
        Reply refused =
            app.refuse(
                400, "bad_request", "malformed HTTP request: " + req.decoderResult().cause());
        answer(ctx, request, CompletableFuture.completedFuture(refused), false, start);
        return;
      }
      Request request =
          new Request(
              req.method().name(),
              req.uri(),
              req.headers(),
              ByteBufUtil.getBytes(req.content()),
              remote(ctx.channel()));
      answer(ctx, request, app.handle(request), HttpUtil.isKeepAlive(req), start);
    }

    /**
     * Writes {@code reply} on this connection's event loop once it is ready and the previous reply
     * is written: a reply completed on another thread is handed to the loop, and the next waits
     * until it is written (else a reply ready at once could overtake one whose write is still
     * queued for the loop).
     */
    private void answer(
        ChannelHandlerContext ctx,
        Request request,
        CompletableFuture<Reply> reply,
        boolean keepAlive,
        long start) {
      CompletableFuture<Void> written = new CompletableFuture<>();
      previous
          .thenCompose(done -> reply)
          .whenComplete(
              (r, e) -> {
                Runnable finish =
                    () -> {
                      if (e == null) {
                        write(ctx, r, keepAlive);
                        app.answered(request, r, System.nanoTime() - start);
                      } else {
                        LOG.error(
                            "no reply to {} {}; closing the connection",
                            request.method(),
                            request.path(),
                            e);
                        ctx.close();
                      }
                      written.complete(null);
                    };
                if (ctx.executor().inEventLoop()) {
                  finish.run();
                } else {
                  ctx.executor().execute(finish);
                }
              });
      previous = written;
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) throws Exception {
      if (event instanceof IdleStateEvent) {
        ctx.close();
      } else {
        super.userEventTriggered(ctx, event);
      }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      // A peer resetting its connection is routine for a server; nothing to answer.
      LOG.debug("connection {} failed: {}", ctx.channel().remoteAddress(), cause.toString());
      ctx.close();
    }
  }
}
