# The one image of compose.yaml: scheduler, workers and API processes differ only by command.
FROM python:3.11-slim
WORKDIR /app
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1
COPY . .
# Editable, so `talentflow db upgrade` finds alembic/ beside the packages.
RUN pip install --no-cache-dir -e . \
    && useradd --create-home talentflow
USER talentflow
CMD ["talentflow", "run", "--host", "0.0.0.0"]
