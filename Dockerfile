FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1
WORKDIR /app
COPY requirements.txt .
RUN pip install --no-cache-dir -r requirements.txt
COPY . .
# collectstatic needs settings to import; a throwaway key is enough at build time.
RUN DJANGO_SECRET_KEY=build-only DJANGO_DEBUG=false python manage.py collectstatic --noinput
# Concern attachments live in a volume mounted here (docker-compose.yml); it inherits this owner.
RUN mkdir -p /app/private-media && useradd --create-home ssoportal && chown -R ssoportal /app
USER ssoportal
EXPOSE 8000
CMD ["gunicorn", "ssoportal.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3"]
