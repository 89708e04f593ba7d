using System.Net;
using System.Net.Sockets;
using System.Text;
using MailKit.Net.Smtp;
using MailKit.Security;
using MimeKit;

namespace Tracker.Web.Tests.Infrastructure;

/// <summary>The stand-in mail server and webhook receiver, tested on their own so a failing app test can trust them.</summary>
[Collection(JobServerCollection.Name)]
public sealed class RealPartsTests
{
    private static readonly TimeSpan Short = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task The_smtp_sink_keeps_a_mail_sent_with_MailKit_with_its_subject_and_Chinese_body()
    {
        await using var sink = await SmtpSink.StartAsync();

        await SendAsync(sink, "进展提醒：第一季度", "您好，\n请在本周五前提交进展报告。谢谢！");

        var messages = await sink.WaitForAsync(1, Short);
        var message = Assert.Single(messages);
        Assert.Equal("进展提醒：第一季度", message.Subject);
        Assert.NotNull(message.TextBody);
        Assert.Equal("您好，\n请在本周五前提交进展报告。谢谢！", message.TextBody.ReplaceLineEndings("\n").TrimEnd('\n'));
        Assert.Equal("official@test.local", Assert.Single(message.To.Mailboxes).Address);
        Assert.Equal("tracker@test.local", Assert.Single(message.From.Mailboxes).Address);
    }

    [Fact]
    public async Task The_smtp_sink_lists_messages_in_the_order_they_arrived()
    {
        await using var sink = await SmtpSink.StartAsync();

        for (var i = 1; i <= 12; i++)
            await SendAsync(sink, $"第 {i} 封", "正文");

        var messages = await sink.WaitForAsync(12, Short);
        Assert.Equal(Enumerable.Range(1, 12).Select(i => $"第 {i} 封"), messages.Select(m => m.Subject));
    }

    [Fact]
    public async Task Sending_fails_while_the_smtp_sink_is_stopped_and_works_again_after_a_restart()
    {
        await using var sink = await SmtpSink.StartAsync();
        await SendAsync(sink, "before", "正文");

        await sink.StopAsync();
        var refused = await Assert.ThrowsAsync<SocketException>(() => SendAsync(sink, "while down", "正文"));
        Assert.Equal(SocketError.ConnectionRefused, refused.SocketErrorCode);

        await sink.RestartAsync();
        await SendAsync(sink, "after", "正文");

        var messages = await sink.WaitForAsync(2, Short);
        Assert.Equal(["before", "after"], messages.Select(m => m.Subject));
    }

    [Fact]
    public async Task Waiting_for_more_mail_than_arrived_times_out_and_says_what_did_arrive()
    {
        await using var sink = await SmtpSink.StartAsync();
        await SendAsync(sink, "only one", "正文");

        var timeout = await Assert.ThrowsAsync<TimeoutException>(() => sink.WaitForAsync(2, TimeSpan.FromMilliseconds(300)));
        Assert.Contains("got 1", timeout.Message);
        Assert.Contains("only one", timeout.Message);
    }

    [Fact]
    public async Task The_webhook_listener_records_a_post_with_its_body_and_headers()
    {
        await using var listener = await WebhookListener.StartAsync();
        using var client = new HttpClient();
        Assert.Equal("127.0.0.1", listener.Url.Host);

        var waiting = listener.WaitForAsync(1, Short);
        using var request = new HttpRequestMessage(HttpMethod.Post, listener.Url)
        {
            Content = new StringContent("""{"initiative":"城市更新","status":"red"}""", Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("X-Tracker-Event", "initiative.red");
        var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var received = Assert.Single(await waiting);
        Assert.Equal("""{"initiative":"城市更新","status":"red"}""", received.Body);
        Assert.Equal("initiative.red", received.Headers["x-tracker-event"]);
        Assert.StartsWith("application/json", received.Headers["Content-Type"]);
        Assert.Equal(1, listener.Attempts);
    }

    [Fact]
    public async Task The_webhook_listener_answers_503_while_failing_without_counting_it_as_delivered()
    {
        await using var listener = await WebhookListener.StartAsync();
        using var client = new HttpClient();

        listener.Failing = true;
        var failed = await client.PostAsync(listener.Url, new StringContent("first try", Encoding.UTF8, "text/plain"));
        listener.Failing = false;
        var delivered = await client.PostAsync(listener.Url, new StringContent("second try", Encoding.UTF8, "text/plain"));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, failed.StatusCode);
        Assert.Equal(HttpStatusCode.OK, delivered.StatusCode);
        Assert.Equal(2, listener.Attempts);
        Assert.Equal("second try", Assert.Single(listener.Received).Body);
    }

    [Fact]
    public async Task Waiting_for_a_webhook_that_never_comes_times_out()
    {
        await using var listener = await WebhookListener.StartAsync();
        using var client = new HttpClient();
        listener.Failing = true;
        await client.PostAsync(listener.Url, new StringContent("refused", Encoding.UTF8, "text/plain"));

        var timeout = await Assert.ThrowsAsync<TimeoutException>(() => listener.WaitForAsync(1, TimeSpan.FromMilliseconds(300)));
        Assert.Contains("got 0", timeout.Message);
        Assert.Contains("1 attempt", timeout.Message);
        Assert.Empty(listener.Received);
    }

    private static async Task SendAsync(SmtpSink sink, string subject, string body)
    {
        var message = new MimeMessage();
        message.From.Add(new MailboxAddress("进度跟踪", "tracker@test.local"));
        message.To.Add(new MailboxAddress("测试 官员", "official@test.local"));
        message.Subject = subject;
        message.Body = new TextPart("plain") { Text = body };

        using var client = new SmtpClient();
        await client.ConnectAsync(sink.Host, sink.Port, SecureSocketOptions.None);
        await client.SendAsync(message);
        await client.DisconnectAsync(quit: true);
    }
}
