"""The domain: models, storage and one service module per Pasis area. Never imports Textual."""
