package io.raftkit.examples.kvstore;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpUtil;

/**
 * {@link HttpObjectAggregator} whose 413 says why. Netty's own answer to a body over the limit has no
 * body; the contract promises a reason in words. The connection is closed after the answer (the rest of
 * the oversized body is still on its way and would be read as the next request), once the client has
 * read it: see {@link KvHttpHandler#answerAndLingerClose}.
 */
final class OversizedBodyAggregator extends HttpObjectAggregator {

    private final int maxBodyBytes;

    OversizedBodyAggregator(int maxBodyBytes) {
        super(maxBodyBytes);
        this.maxBodyBytes = maxBodyBytes;
    }

    @Override
    protected void handleOversizedMessage(ChannelHandlerContext ctx, HttpMessage oversized) {
        long declared = HttpUtil.getContentLength(oversized, -1L);
        String reason = "the request body" + (declared >= 0 ? " of " + declared + " bytes" : "")
                + " is over the limit of " + maxBodyBytes + " bytes";
        KvHttpHandler.answerAndLingerClose(ctx, KvResponse.text(413, reason));
    }
}
