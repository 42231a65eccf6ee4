"""Exceptions that carry a message a user can act on."""


class CommandError(Exception):
    """A user-facing command-line error: printed without a traceback, exit status 2."""


class InputFileError(CommandError):
    """Bad input in a file: the message names the file, the row and the column."""

    def __init__(
        self, path: str, message: str, *, row: int | None = None, column: str | None = None
    ) -> None:
        where = str(path)
        if row is not None:
            where += f", row {row}"
        if column is not None:
            where += f", column '{column}'"
        super().__init__(f"{where}: {message}")
        self.path, self.row, self.column = path, row, column
