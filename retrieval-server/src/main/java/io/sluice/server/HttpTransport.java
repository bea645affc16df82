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
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.DuplexChannel;
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
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
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
 * <p>Refused by the transport itself, through {@link Application#refuse}, always with the JSON error
 * body: malformed HTTP (400), a request line over {@value #MAX_LINE} bytes (414), headers over
 * {@value #MAX_HEADERS} bytes (431), an HTTP version other than 1.0 and 1.1 (505), headers not
 * complete within {@code headerSeconds} of the request's first byte (408: slow clients cannot hold
 * connections open for ever); each of these then closes the connection, after a lingering close
 * that lets the client read the answer instead of a reset. Bodies over the limit get 413 (a
 * declared or streamed body is read and discarded so the connection can go on; with {@code Expect:
 * 100-continue} the 413 is the answer to the expectation and the connection closes). Connections
 * idle for {@code idleSeconds} are closed.
 */
final class HttpTransport implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(HttpTransport.class);

  /** Longest request line read: 4 KiB, as common servers (nginx's default buffer is 1 KiB). */
  static final int MAX_LINE = 4096;

  /** Largest header block read: 8 KiB, Netty's and Apache httpd's default. */
  static final int MAX_HEADERS = 8192;

  /** How long a closing connection waits for the client to stop sending before it is closed. */
  private static final long LINGER_MS = 2000;

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
   * @param headerSeconds a request whose headers are not all read this long after its first byte
   *     is refused with 408
   */
  HttpTransport(
      String host,
      int port,
      int threads,
      long maxBodyBytes,
      int idleSeconds,
      int headerSeconds,
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
                      HeaderDeadline deadline = new HeaderDeadline(headerSeconds, app);
                      ch.pipeline()
                          .addLast(new IdleStateHandler(0, 0, idleSeconds, TimeUnit.SECONDS))
                          .addLast(deadline.beforeDecoder())
                          .addLast(new HttpServerCodec(MAX_LINE, MAX_HEADERS, 8192))
                          .addLast(deadline.afterDecoder())
                          .addLast(new BodyLimit(limit, app))
                          .addLast(new Exchanges(app));
                    }
                  })
              .bind(host, port)
              .syncUninterruptibly()
              .channel();
    } catch (RuntimeException e) {
      loops.shutdownGracefully(0, 0, TimeUnit.SECONDS);
      throw new IllegalStateException(
          "cannot listen on " + host + ":" + port + " (" + e.getMessage() + ")", e);
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
            r.head() ? Unpooled.EMPTY_BUFFER : Unpooled.wrappedBuffer(r.body()));
    resp.headers()
        .set(HttpHeaderNames.CONTENT_TYPE, r.contentType())
        .setInt(HttpHeaderNames.CONTENT_LENGTH, r.body().length);
    for (Map.Entry<String, String> h : r.headers().entrySet()) {
      resp.headers().set(h.getKey(), h.getValue());
    }
    HttpUtil.setKeepAlive(resp, keepAlive);
    ctx.writeAndFlush(resp)
        .addListener(keepAlive ? ChannelFutureListener.CLOSE_ON_FAILURE : f -> linger(ctx));
  }

  /**
   * Closes a connection gracefully after its last reply: shuts down the sending side, so the client
   * reads the whole reply, then closes once the client has closed its side or {@value #LINGER_MS}
   * ms have passed. Closing at once while the client is still sending (a refused oversized header
   * block) would make the kernel answer with a reset that destroys the reply unread.
   */
  private static void linger(ChannelHandlerContext ctx) {
    Channel ch = ctx.channel();
    if (ch instanceof DuplexChannel duplex && ch.isActive()) {
      duplex.shutdownOutput();
      ctx.executor().schedule(() -> ch.close(), LINGER_MS, TimeUnit.MILLISECONDS);
    } else {
      ch.close();
    }
  }

  /**
   * The 408 guard against clients that send headers slowly: a timer starts at the first byte of a
   * request (seen before the decoder) and stops when the decoder has the whole header block (seen
   * after it). One per connection, used only on its event loop.
   */
  private static final class HeaderDeadline {
    private final int seconds;
    private final Application app;
    private ScheduledFuture<?> timer;
    private boolean inHeaders = true; // the next byte starts a request's headers
    private ChannelHandlerContext replies; // the context behind the decoder

    HeaderDeadline(int seconds, Application app) {
      this.seconds = seconds;
      this.app = app;
    }

    ChannelInboundHandlerAdapter beforeDecoder() {
      return new ChannelInboundHandlerAdapter() {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
          if (inHeaders && timer == null) {
            timer = ctx.executor().schedule(() -> expire(), seconds, TimeUnit.SECONDS);
          }
          ctx.fireChannelRead(msg);
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
          stop();
          ctx.fireChannelInactive();
        }
      };
    }

    ChannelInboundHandlerAdapter afterDecoder() {
      return new ChannelInboundHandlerAdapter() {
        @Override
        public void handlerAdded(ChannelHandlerContext ctx) {
          replies = ctx;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
          if (msg instanceof HttpRequest) {
            stop();
            inHeaders = false;
          }
          if (msg instanceof LastHttpContent) {
            inHeaders = true;
          }
          ctx.fireChannelRead(msg);
        }
      };
    }

    private void stop() {
      if (timer != null) {
        timer.cancel(false);
        timer = null;
      }
    }

    private void expire() {
      timer = null;
      Reply r =
          app.refuse(
              408,
              "request_timeout",
              "the request headers were not complete within " + seconds + " s");
      write(replies, r, false); // from behind the decoder, so the reply goes through its encoder
    }
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

    /**
     * No {@code 100 Continue} for a body declared over the limit: the request goes on to {@link
     * #handleOversizedMessage}, whose JSON 413 answers the expectation (Netty's own answer would be
     * an empty 413).
     */
    @Override
    protected Object newContinueResponse(
        HttpMessage start, int maxContentLength, ChannelPipeline pipeline) {
      if (HttpUtil.is100ContinueExpected(start)
          && HttpUtil.getContentLength(start, -1L) > maxContentLength) {
        return null;
      }
      return super.newContinueResponse(start, maxContentLength, pipeline);
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
      // A client that expected 100-continue sends no body after a final answer: close, since what
      // it sends next would be read as the rest of this body.
      boolean keep =
          !(oversized instanceof FullHttpMessage)
              && !HttpUtil.is100ContinueExpected(req)
              && HttpUtil.isKeepAlive(req);
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
      Reply refused = null;
      if (req.decoderResult().isFailure()) {
        refused = malformed(req.decoderResult().cause());
      } else if (!req.protocolVersion().equals(HttpVersion.HTTP_1_1)
          && !req.protocolVersion().equals(HttpVersion.HTTP_1_0)) {
        refused =
            app.refuse(
                505,
                "http_version_not_supported",
                "HTTP version " + req.protocolVersion().text() + " is not served; use HTTP/1.1");
      }
      if (refused != null) {
        Request request =
            new Request(
                req.method().name(), req.uri(), new DefaultHttpHeaders(), new byte[0], null);
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

    /** The answer to a request the decoder could not read, naming what was wrong, not a class. */
    private Reply malformed(Throwable cause) {
      if (cause instanceof TooLongHttpLineException) {
        return app.refuse(
            414, "uri_too_long", "the request line is limited to " + MAX_LINE + " bytes");
      }
      if (cause instanceof TooLongHttpHeaderException) {
        return app.refuse(
            431,
            "headers_too_large",
            "the request headers are limited to " + MAX_HEADERS + " bytes");
      }
      String why = cause == null || cause.getMessage() == null ? "" : ": " + cause.getMessage();
      return app.refuse(400, "bad_request", "malformed HTTP request" + why);
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
