"""A Rasa tokenizer that makes accent-free and shorthand Vietnamese look like proper Vietnamese.

Each word keeps its character offsets in the user's text (so entities are still
marked on what the user typed), but its `text` and `lemma`, which the featurizers
read, are the normalised form from bot.text: lower-case, no diacritics, shorthand
expanded ("hp" becomes the two tokens "hoc" "phi", both spanning "hp"). Training
data written with diacritics therefore teaches the model the accent-free and
shorthand forms too, without hand-written copies.
"""

from __future__ import annotations

from typing import Any, Dict, List, Optional, Text

from rasa.engine.graph import ExecutionContext
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.tokenizers.tokenizer import Token
from rasa.nlu.tokenizers.whitespace_tokenizer import WhitespaceTokenizer
from rasa.shared.nlu.training_data.message import Message

from bot.text import fold_token


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.MESSAGE_TOKENIZER, is_trainable=False)
class VietnameseTokenizer(WhitespaceTokenizer):
    """WhitespaceTokenizer + Vietnamese folding and shorthand expansion."""

    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        return WhitespaceTokenizer.get_default_config()

    @staticmethod
    def not_supported_languages() -> Optional[List[Text]]:
        return None

    @classmethod
    def create(cls, config: Dict[Text, Any], model_storage: ModelStorage, resource: Resource,
               execution_context: ExecutionContext) -> "VietnameseTokenizer":
        return cls(config)

    def tokenize(self, message: Message, attribute: Text) -> List[Token]:
        tokens: List[Token] = []
        for token in super().tokenize(message, attribute):
            for word in fold_token(token.text) or [token.text.lower()]:
                tokens.append(Token(word, token.start, token.end, data=dict(token.data), lemma=word))
        return tokens
