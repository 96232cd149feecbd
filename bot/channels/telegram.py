"""Telegram gateway: python-telegram-bot <-> Rasa's REST webhook.

Long polling by default (a college needs no public HTTPS address); webhook mode
when TELEGRAM_WEBHOOK_URL is set, with Telegram's secret-token header checked.
Run alone:  python -m bot.channels.telegram   (TELEGRAM_BOT_TOKEN, RASA_URL)
`./run start` starts it too when TELEGRAM_BOT_TOKEN is set.
"""

from __future__ import annotations

import asyncio
import logging
import os
import secrets
from typing import List, Optional

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.constants import ChatAction, MessageLimit
from telegram.error import BadRequest, NetworkError, RetryAfter, TelegramError, TimedOut
from telegram.ext import (
    Application, ApplicationBuilder, CallbackQueryHandler, CommandHandler, ContextTypes, MessageHandler, filters,
)

from bot.channels.common import APOLOGY, ASK_TEXT, BotMessage, PayloadStore, RasaClient, RasaUnavailable, sender_id, \
    split_text

logger = logging.getLogger(__name__)
CHANNEL = "telegram"
START_TEXT = (
    "Xin chào! Mình là trợ lý tư vấn tuyển sinh và hướng nghiệp của Trường Cao đẳng Lai Châu.\n"
    "Bạn có thể hỏi về: ngành nghề đào tạo, học phí, chính sách hỗ trợ (miễn giảm học phí, học bổng), "
    "hồ sơ nhập học, việc làm sau khi học, hoặc nhờ mình gợi ý nghề phù hợp. "
    "Muốn để lại thông tin để được gọi lại, bạn gõ \"đăng ký\"."
)
HELP_TEXT = (
    "Cách dùng: gõ câu hỏi bằng tiếng Việt (có dấu hay không dấu đều được), ví dụ:\n"
    "• học phí nghề hàn bao nhiêu\n• em người Thái hộ nghèo thì được hỗ trợ gì\n• hồ sơ nhập học gồm gì\n"
    "Gõ \"gặp cán bộ\" để nói chuyện với cán bộ tuyển sinh, \"xóa thông tin của tôi\" để xóa dữ liệu bạn đã để lại."
)
CALLBACK_LIMIT = 64  # bytes of callback_data Telegram accepts


SEND_ATTEMPTS = 4  # one send and up to three retries
MAX_RETRY_AFTER = 30  # seconds: a longer flood wait is not waited for inside one turn


async def send_with_retries(bot, chat_id: int, text: str, markup=None) -> bool:
    """sendMessage that survives what Telegram asks to retry: a 429 is retried after its
    `retry_after`, a 502/504 or a time-out after a short pause (channel review 2 and 3). Returns
    False (logged) when the message could not be sent, so the caller goes on with the next one."""
    delay = 0.5
    for attempt in range(1, SEND_ATTEMPTS + 1):
        try:
            await bot.send_message(chat_id, text, reply_markup=markup)
            return True
        except RetryAfter as exc:
            wait = exc.retry_after.total_seconds() if hasattr(exc.retry_after, "total_seconds") else float(exc.retry_after)
            if attempt == SEND_ATTEMPTS or wait > MAX_RETRY_AFTER:
                logger.error("telegram sendMessage: flood control for %.0f s, message dropped", wait)
                return False
            await asyncio.sleep(wait + 0.1)
        except (TimedOut, NetworkError) as exc:
            if isinstance(exc, BadRequest) or attempt == SEND_ATTEMPTS:  # a bad request will not improve
                logger.error("telegram sendMessage failed: %s", exc.__class__.__name__)
                return False
            await asyncio.sleep(delay)
            delay *= 2
        except TelegramError as exc:  # the person blocked the bot, the chat is gone...
            logger.error("telegram sendMessage refused: %s", exc.__class__.__name__)
            return False
    return False


class TelegramGateway:
    def __init__(self, rasa: RasaClient):
        self.rasa = rasa
        self.payloads = PayloadStore(CALLBACK_LIMIT)

    def keyboard(self, buttons: List[dict]) -> Optional[InlineKeyboardMarkup]:
        if not buttons:
            return None
        rows = [[InlineKeyboardButton(b["title"][:64], callback_data=self.payloads.shorten(b["payload"]))]
                for b in buttons]
        return InlineKeyboardMarkup(rows)

    async def deliver(self, update: Update, context: ContextTypes.DEFAULT_TYPE, messages: List[BotMessage]) -> None:
        """Every message of the answer, in order; one that cannot be sent does not stop the rest."""
        chat_id = update.effective_chat.id
        for message in messages:
            parts = split_text(message.text, MessageLimit.MAX_TEXT_LENGTH) or [""]
            for i, part in enumerate(parts):
                last = i == len(parts) - 1
                markup = self.keyboard(message.buttons) if last else None
                if part or markup:
                    await send_with_retries(context.bot, chat_id, part or "Bạn chọn:", markup)

    async def forward(self, update: Update, context: ContextTypes.DEFAULT_TYPE, text: str) -> None:
        chat_id = update.effective_chat.id
        await context.bot.send_chat_action(chat_id, ChatAction.TYPING)
        try:
            messages = await self.rasa.send(sender_id(CHANNEL, update.effective_user.id), text, CHANNEL)
        except RasaUnavailable:
            await send_with_retries(context.bot, chat_id, APOLOGY)
            return
        await self.deliver(update, context, messages)

    async def on_text(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        await self.forward(update, context, update.message.text)

    async def on_button(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        query = update.callback_query
        await query.answer()
        payload = self.payloads.expand(query.data or "")
        if payload is None:  # an old keyboard after a restart
            await context.bot.send_message(update.effective_chat.id, "Nút này đã cũ, bạn gõ lại câu hỏi giúp mình nhé.")
            return
        await self.forward(update, context, payload)

    async def on_other(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        await context.bot.send_message(update.effective_chat.id, ASK_TEXT)

    @staticmethod
    async def on_start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        await context.bot.send_message(update.effective_chat.id, START_TEXT)

    @staticmethod
    async def on_help(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        await context.bot.send_message(update.effective_chat.id, HELP_TEXT)

    @staticmethod
    async def on_error(update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
        logger.error("telegram update failed: %s", context.error.__class__.__name__, exc_info=context.error)


def build_application(token: str, rasa: RasaClient, base_url: Optional[str] = None) -> Application:
    builder = ApplicationBuilder().token(token).concurrent_updates(True)
    if base_url:
        builder = builder.base_url(base_url).base_file_url(base_url)
    app = builder.build()
    gateway = TelegramGateway(rasa)
    new_messages = filters.UpdateType.MESSAGE  # edited messages and channel posts are ignored
    app.add_handler(CommandHandler("start", gateway.on_start, filters=new_messages))
    app.add_handler(CommandHandler("help", gateway.on_help, filters=new_messages))
    app.add_handler(MessageHandler(new_messages & filters.TEXT & ~filters.COMMAND, gateway.on_text))
    app.add_handler(CallbackQueryHandler(gateway.on_button))
    app.add_handler(MessageHandler(new_messages & ~filters.TEXT, gateway.on_other))
    app.add_error_handler(gateway.on_error)
    app.bot_data["gateway"] = gateway
    return app


def main() -> None:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(levelname)s %(message)s")
    logging.getLogger("httpx").setLevel(logging.WARNING)  # its INFO lines contain the bot token
    token = os.environ.get("TELEGRAM_BOT_TOKEN")
    if not token:
        raise SystemExit("TELEGRAM_BOT_TOKEN is not set (from @BotFather; keep it in the environment or .env)")
    app = build_application(token, RasaClient(), os.environ.get("TELEGRAM_API_BASE_URL"))
    webhook_url = os.environ.get("TELEGRAM_WEBHOOK_URL")
    if webhook_url:
        secret = os.environ.get("TELEGRAM_WEBHOOK_SECRET") or secrets.token_urlsafe(32)
        app.run_webhook(listen="0.0.0.0", port=int(os.environ.get("TELEGRAM_WEBHOOK_PORT", "8443")),
                        url_path="telegram", webhook_url=webhook_url, secret_token=secret)
    else:
        app.run_polling(allowed_updates=["message", "callback_query"])


if __name__ == "__main__":
    main()
