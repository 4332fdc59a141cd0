-- How the citizen gets the result (Mẫu 01: "Đăng ký nhận kết quả tại"), chosen when filing or
-- at the counter: `tai-trung-tam`, `buu-dien` or `truc-tuyen` (domain::filing::ResultDelivery).
ALTER TABLE dossiers ADD COLUMN result_delivery TEXT NOT NULL DEFAULT 'tai-trung-tam';
