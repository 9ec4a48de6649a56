using MailKit.Net.Smtp;
using MailKit.Security;
using MimeKit;

namespace Waymark.Server.Actions;

/// <summary>Hands one message to the configured SMTP server (MailKit): the rules' mail and the experience digest.</summary>
public static class SmtpDelivery
{
    /// <summary>Connects with the configured security, signs in when a user is set, sends; returns the server's answer.</summary>
    public static async Task<string> SendAsync(SmtpOptions o, MimeMessage message, CancellationToken cancellationToken)
    {
        using var smtp = new SmtpClient();
        var security = o.Security switch
        {
            "none" => SecureSocketOptions.None,
            "tls" => SecureSocketOptions.SslOnConnect,
            _ => SecureSocketOptions.StartTlsWhenAvailable,
        };
        await smtp.ConnectAsync(o.Host, o.Port, security, cancellationToken);
        if (!string.IsNullOrEmpty(o.Username))
        {
            await smtp.AuthenticateAsync(o.Username, o.Password ?? "", cancellationToken);
        }
        var answer = await smtp.SendAsync(message, cancellationToken);
        await smtp.DisconnectAsync(true, cancellationToken);
        return answer;
    }
}
